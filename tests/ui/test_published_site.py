"""What a real run publishes besides the data: static pages that open from disk (desktop and
phone) and the open-data metadata, checked by the frictionless validator and against the files."""

from __future__ import annotations

import hashlib
import json
import re

import duckdb
import frictionless
import pytest
from playwright.sync_api import expect

from sector_datasets.registry import load_registry
from sector_datasets.report import datapackage, dcat
from sector_datasets.state import layout
from sector_datasets.report.charts import FAIL, PASS
from tests.ui.conftest import BAD_RUN, GOOD_RUN

pytestmark = pytest.mark.slow  # Chromium + two transport runs (tests/ui/conftest.py)

DATASETS = ["transport_bus_routes", "transport_bus_stop_points", "transport_airports", "transport_air_routes",
            "transport_passenger_freight_monthly_by_mode"]


def test_the_static_scorecard_shows_the_failing_dataset_and_its_failed_expectation(transport_platform, browser, artifacts):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto((transport_platform.settings.reports_dir / "transport" / "index.html").as_uri())
        expect(page.locator('[data-dataset="transport_airports"][data-gate="failed"]')).to_contain_text("Không đạt")
        for ok in ("transport_bus_routes", "transport_bus_stop_points"):
            expect(page.locator(f'[data-dataset="{ok}"][data-gate="passed"]')).to_have_text(re.compile(r"^\s*Đạt\b"))
        card = page.locator("article#transport_airports")
        expect(card.locator('[data-expectation="expect_column_values_to_be_unique(airport_id)"]')).to_contain_text(
            "Mỗi giá trị của cột airport_id chỉ được xuất hiện một lần")
        expect(card).to_contain_text("the last good version v1 stays published")
        page.screenshot(path=str(artifacts / "static-scorecard.png"), full_page=True)

        card.get_by_role("link", name="kết quả chi tiết").click()
        expect(page.locator('tr[data-expectation="expect_column_values_to_be_between(latitude)"]')).to_have_attribute("data-success", "no")
        page.screenshot(path=str(artifacts / "static-validation-result.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("page_path", [
    "index.html", "transport/index.html", "transport/datasets/transport_airports.html", "maturity.html",
    f"transport/validations/transport_airports/{BAD_RUN}.html",
])
def test_pages_fit_a_phone_screen_without_sideways_scrolling(transport_platform, browser, artifacts, page_path):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page.goto((transport_platform.settings.reports_dir / page_path).as_uri())
        scroll_width, client_width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll_width <= client_width, f"{page_path}: page is {scroll_width}px wide on a {client_width}px screen"
        page.screenshot(path=str(artifacts / f"phone-{page_path.replace('/', '-').removesuffix('.html')}.png"))
    finally:
        page.close()


def test_the_trend_shows_both_runs_the_latest_one_failing(transport_platform):
    html = (transport_platform.settings.reports_dir / "transport" / "index.html").read_text(encoding="utf-8")
    chart = html[html.index('<svg class="chart"'):]
    assert f'fill="{PASS}" data-run="{GOOD_RUN}"' in chart and f'fill="{FAIL}" data-run="{BAD_RUN}"' in chart


def test_the_overview_ranks_every_registered_sector(transport_platform):
    ranking = json.loads((transport_platform.settings.reports_dir / "index.json").read_text())["ranking"]
    kinds = {s.id: s.kind for s in load_registry(transport_platform.settings.registry_dir).sectors.values()}
    assert sorted(r["sector"] for r in ranking) == sorted(s for s, kind in kinds.items() if kind == "sector")
    assert ranking[0]["sector"] == "transport"  # the only sector with published datasets here


def test_gate_results_are_kept_per_run_for_history(transport_platform):
    home = transport_platform.home
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select dataset_id, run_id, success from quality.validation_results where sector_id = 'transport' order by 1, 2"
        ).fetchall()
    assert {(d, r) for d, r, _ in rows} == {(d, r) for d in DATASETS for r in (GOOD_RUN, BAD_RUN)}
    assert ("transport_airports", BAD_RUN, False) in rows and ("transport_airports", GOOD_RUN, True) in rows
    assert len(list((home / "quality" / "transport" / "transport_airports").glob("*.json"))) == 2


@pytest.mark.parametrize("dataset_id", DATASETS)
def test_the_datapackage_validates_with_frictionless_and_every_export_matches_it(transport_platform, dataset_id):
    ds_dir = transport_platform.settings.exports_dir / "transport" / dataset_id
    report = frictionless.validate(str(ds_dir / layout.DATAPACKAGE_NAME))
    assert report.valid, report.flatten(["type", "fieldName", "message"])[:10]

    package = json.loads((ds_dir / layout.DATAPACKAGE_NAME).read_text())
    table, parquet, xlsx, metadata = package["resources"]
    assert xlsx["format"] == "xlsx" and (ds_dir / xlsx["path"]).is_file()
    fields = table["schema"]["fields"]
    published = json.loads((ds_dir / metadata["path"]).read_text())
    assert [f["name"] for f in fields] == [c["name"] for c in published["columns"]]
    assert all(f["description"] for f in fields), "every column described (the contract)"
    assert table["schema"]["primaryKey"] == published["primary_key"]
    with duckdb.connect() as con:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{ds_dir / parquet['path']}')").fetchall()
        parquet_rows = con.execute(f"SELECT count(*) FROM read_parquet('{ds_dir / parquet['path']}')").fetchone()[0]
        csv_rows = con.execute(f"SELECT count(*) FROM read_csv('{ds_dir / table['path']}')").fetchone()[0]
    # DECIMAL columns are DOUBLE in Parquet (exact at their scale), so pandas gets floats.
    assert [(n, t) for n, t, *_ in described] == [
        (f["name"], "DOUBLE" if f["duckdb_type"].startswith("DECIMAL") else f["duckdb_type"]) for f in fields
    ]
    types = {c["name"]: c["type"] for c in published["columns"]}  # the contract's type vocabulary
    assert [datapackage.table_schema_type(types[f["name"]])["type"] for f in fields] == [f["type"] for f in fields]
    assert parquet_rows == csv_rows == published["row_count"] == package["sector_datasets"]["row_count"]


def test_the_dcat_catalog_lists_the_published_datasets_with_working_downloads(transport_platform):
    exports = transport_platform.settings.exports_dir
    catalog = json.loads((exports / layout.CATALOG_JSONLD_NAME).read_text())
    assert sorted(d["dct:identifier"] for d in catalog["dcat:dataset"]) == sorted(DATASETS)
    for dataset in catalog["dcat:dataset"]:
        themes = dataset["dcat:theme"] if isinstance(dataset["dcat:theme"], list) else [dataset["dcat:theme"]]
        assert any(t["@id"].endswith("/data-theme/TRAN") for t in themes), themes
        for dist in dataset["dcat:distribution"]:
            # catalog IRIs are absolute under the public base URL (dcat.public_iri); this is their inverse
            path = dcat.published_file(transport_platform.settings, dist["dcat:downloadURL"]["@id"])
            assert path is not None and path.is_file(), dist["dcat:downloadURL"]["@id"]
            if "spdx:checksum" in dist:
                assert dist["spdx:checksum"]["spdx:checksumValue"]["@value"] == hashlib.sha256(path.read_bytes()).hexdigest()

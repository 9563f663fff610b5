"""The published site: scorecards, national overview, validation pages, data dictionaries, links."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest

from sector_datasets.state import layout
from sector_datasets.report import write_sector_report
from sector_datasets.report.charts import FAIL
from sector_datasets.report.scorecard import write_site
from tests.report.sample_platform import BAD_RUN, GOOD_RUN

NOW = datetime.now(UTC) + timedelta(minutes=5)


@pytest.fixture(scope="module")
def site(sample):
    write_site(sample.settings, sample.registry, now=NOW)
    return sample


def page(sample, *parts: str) -> str:
    return (sample.settings.reports_dir.joinpath(*parts)).read_text(encoding="utf-8")


def card(html: str, dataset_id: str) -> str:
    start = html.index('<article class="card')
    start = html.index(f'id="{dataset_id}"', start)
    return html[start: html.index("</article>", start)]


def test_the_failing_dataset_is_failed_with_its_failed_expectations_examples_and_reasons(site):
    html = page(site, "demo", "index.html")
    assert 'data-dataset="demo_broken" data-gate="failed"' in html
    broken = card(html, "demo_broken")
    assert "Không đạt" in broken and "kỳ vọng" not in broken.lower()
    assert 'data-expectation="expect_column_values_to_be_unique(item_id)"' in broken
    # in plain Vietnamese: the rule, what was found, the rows by key, where to fix, whom to ask
    assert "Quy tắc kiểm tra:</strong> Mỗi giá trị của cột item_id chỉ được xuất hiện một lần." in broken
    assert "2 dòng vi phạm (66,7 %); giá trị sai: 2, 2" in broken
    assert "Dòng cần sửa: <strong>item_id 2 (2 dòng)</strong>" in broken  # a duplicated key, once
    assert "Giá trị cột amount phải từ 0 đến 100" in broken and "Dòng cần sửa: <strong>item_id 3</strong>" in broken
    assert "item_id là khoá" in broken  # the contract's reason for it (meta.why_vi)
    assert 'data-source="demo_src"' in broken and "data@example.gov.vn" in broken
    # GX's own words one click away
    raw = broken[broken.index('<details class="raw">'):]
    assert "2 unexpected (66.7%) e.g. [2, 2]" in raw and "partial_unexpected_list" in raw
    assert "bản v1 đã công bố vẫn được giữ" in broken and "the last good version v1 stays published" in broken


def test_passing_datasets_are_passed_and_a_dataset_that_never_built_shows_why(site):
    html = page(site, "demo", "index.html")
    assert 'data-dataset="demo_values" data-gate="passed"' in html
    never = card(html, "demo_never")
    assert "did not build in this run" in never and "Chưa công bố" in never


def test_the_scorecard_counts_high_quality_datasets_against_the_3_to_5_target(site):
    data = json.loads(page(site, "demo", "scorecard.json"))
    levels = {d["id"]: d["level"] for d in data["datasets"]}
    assert levels == {"demo_values": 4, "demo_broken": 2, "demo_never": 0}
    assert data["target"] == {"min": 3, "max": 5, "high_quality_level": 3, "high_quality": 1, "status": "below"}
    assert (data["published"], data["declared"]) == (2, 3)
    assert data["maturity"]["level"] == 0  # fewer than three datasets reach any level ≥ 1
    broken = next(d for d in data["datasets"] if d["id"] == "demo_broken")
    assert broken["failed_expectations"] == ["expect_column_values_to_be_unique(item_id)", "expect_column_values_to_be_between(amount)"]
    assert broken["criteria"]["quality_gated"]["met"] is False
    html = page(site, "demo", "index.html")
    assert 'data-kpi="target"' in html and "Chưa đạt mục tiêu" in html


def test_each_dataset_shows_rows_version_freshness_licence_and_links(site):
    values = card(page(site, "demo", "index.html"), "demo_values")
    assert "v1" in values and "3 đã công bố" in values
    assert "Đúng hạn" in values and "hằng năm" in values
    assert 'data-period="2024"' in values and "Dữ liệu đến năm 2024" in values
    assert "CC-BY-4.0" in values and '<span class="badge passed">mở</span>' in values
    for target in ("datasets/demo_values.html", "datapackage.json", "demo_values.csv",
                   "demo_values.parquet", "metadata.json", "validations/demo_values/"):
        assert target in values, target


def test_stale_data_is_flagged(sample):
    write_site(sample.settings, sample.registry, now=NOW + timedelta(days=60))  # monthly: stale after 46.5 days
    try:
        html = page(sample, "demo", "index.html")
        assert re.search(r'data-dataset="demo_broken".*?data-freshness="stale"', html, re.S)
        assert "Quá hạn lấy dữ liệu" in card(html, "demo_broken")
        assert json.loads(page(sample, "demo", "scorecard.json"))["datasets"][1]["freshness"] == "stale"
    finally:
        write_site(sample.settings, sample.registry, now=NOW)


def test_the_trend_chart_has_one_point_per_run_with_its_pass_rate(site):
    html = page(site, "demo", "index.html")
    chart = html[html.index('<svg class="chart"'): html.index("</svg>", html.index('<svg class="chart"'))]
    points = re.findall(r'<circle [^>]*fill="([^"]+)" data-run="([^"]+)"><title>([^<]+)</title>', chart)
    assert [run for _, run, _ in points] == [GOOD_RUN, BAD_RUN]
    # demo_never (failed in the first run) was not gated again: its last result counts, marked carried
    assert "2/3 bộ đạt" in points[0][2] and "1/3 bộ đạt, 1 bộ không đổi giữ kết quả trước" in points[1][2]
    assert all(colour == FAIL for colour, _, _ in points)  # demo_never failed in the first, demo_broken in the second


def test_the_national_overview_ranks_sectors_by_level_high_quality_then_score(site):
    ranking = json.loads(page(site, "index.json"))["ranking"]
    assert [r["sector"] for r in ranking] == ["other", "demo"]
    assert ranking[0]["score"] > ranking[1]["score"]
    html = page(site, "index.html")
    assert html.index('data-sector="other" data-rank="1"') < html.index('data-sector="demo" data-rank="2"')


def test_one_validation_page_per_kept_gate_result_failures_first(site):
    pages = sorted(p.name for p in (site.settings.reports_dir / "demo" / "validations" / "demo_broken").iterdir())
    assert pages == sorted(f"{layout.run_folder_name(r)}.html" for r in (GOOD_RUN, BAD_RUN))
    html = page(site, "demo", "validations", "demo_broken", f"{layout.run_folder_name(BAD_RUN)}.html")
    assert 'data-result="failed"' in html
    rows = re.findall(r'data-expectation="([^"]+)" data-success="(yes|no)"', html)
    assert len(rows) == 8 and [s for _, s in rows[:2]] == ["no", "no"] and {s for _, s in rows[2:]} == {"yes"}


def test_the_data_dictionary_page_lists_columns_types_descriptions_and_constraints(site):
    html = page(site, "demo", "datasets", "demo_values.html")
    for column in ("province_code", "year", "value", "share", "big_count", "is_final", "as_of_date", "loaded_at", "status", "note"):
        assert f'data-column="{column}"' in html
    assert "Tỉ trọng trong tổng cả nước, %." in html and "Share of the national total, percent." in html
    assert "pattern=^[0-9]{2}$" in html
    assert "example/repo @ 0123abcd : demo_src.csv" in html


def test_every_relative_link_of_every_page_resolves_to_a_file(site):
    pages = list(site.settings.reports_dir.rglob("*.html"))
    assert len(pages) >= 12
    broken = []
    for html_file in pages:
        for href in re.findall(r'href="([^"]+)"', html_file.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:", "#")):
                continue
            target = (html_file.parent / unquote(href.split("#", 1)[0])).resolve()
            if not target.exists():
                broken.append(f"{html_file.relative_to(site.settings.reports_dir)} → {href}")
    assert broken == []


def test_pages_are_ready_for_phones(site):
    for html_file in site.settings.reports_dir.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        # wide tables scroll (or stack on a phone), pages do not
        assert html.count("<table") == len(re.findall(r'<div class="scroll( stack)?"><table', html)), html_file


def test_no_temporary_files_are_left_and_pages_are_world_readable(site):
    leftovers = [p for p in site.settings.reports_dir.rglob(".*") if p.is_file()]
    assert leftovers == []
    assert all(p.stat().st_mode & 0o444 == 0o444 for p in site.settings.reports_dir.rglob("*.html"))


def test_the_report_task_writes_the_run_report_and_returns_the_scorecard(site):
    path = write_sector_report(site.settings, site.registry, "demo", BAD_RUN)
    assert path == site.settings.reports_dir / "demo" / "index.html"
    run_page = site.settings.reports_dir / "demo" / "runs" / f"{layout.run_folder_name(BAD_RUN)}.html"
    html = run_page.read_text(encoding="utf-8")
    assert f"../validations/demo_broken/{layout.run_folder_name(BAD_RUN)}.html" in html
    assert 'href="../index.html"' in html  # back to the scorecard
    assert (site.settings.exports_dir / "catalog.jsonld").exists()
    write_site(site.settings, site.registry, now=NOW)


def test_the_scorecard_never_opens_the_warehouse(sample, monkeypatch):
    """Files only: rendering works with the warehouse gone (the plugin and a locked run rely on it)."""
    import duckdb

    real_connect = duckdb.connect

    exports = sample.settings.exports_dir

    def guarded(database=":memory:", *args, **kwargs):
        # The scenarios run on the exports' catalog.duckdb (a file users download, brought up to
        # date from the exports first), never on the warehouse.
        assert str(database) in (":memory:", "") or Path(database).parent == exports, f"opened {database}"
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", guarded)
    write_site(sample.settings, sample.registry, now=NOW)

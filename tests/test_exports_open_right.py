"""The exports open right in Excel, pandas and DuckDB (issue 16), checked on the real build.

CSV: UTF-8 with BOM, codes with leading zeros back as text through the README's pandas path, no
scientific notation in any cell. XLSX: codes as text cells, the dictionary sheet from the
contract. Parquet: DECIMAL columns arrive in pandas as floats equal to the warehouse's values.
catalog.duckdb: a copied exports folder works from another working directory with the original
gone, every usage scenario runs on it, and every column carries its description and unit.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from sector_datasets import cli
from sector_datasets.publish.export_files import DATA_SHEET, DICTIONARY_SHEET, UTF8_BOM
from sector_datasets.publish.exports import column_comment
from sector_datasets.registry import load_registry
from sector_datasets.settings import REPO_ROOT, get_settings
from sector_datasets.state import layout
from sector_datasets.warehouse.duckdb_lock import connect_reader

pytestmark = pytest.mark.slow  # needs built_platform: every sector built (≈1.5 min)

SCIENTIFIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
LEADING_ZERO_CODE = re.compile(r"^0\d+$")


def _published(home: Path) -> list[tuple[str, str, Path]]:
    """(sector, dataset, current version folder) of every served dataset."""
    return [(c.parent.parent.name, c.parent.name, c.resolve()) for c in layout.all_current_links(home / "exports")]


def _text_fields(home: Path, sector: str, dataset: str) -> list[str]:
    package = json.loads(layout.datapackage_file(home / "exports", sector, dataset).read_text(encoding="utf-8"))
    return [f["name"] for f in package["resources"][0]["schema"]["fields"] if f["type"] == "string"]


def test_every_csv_starts_with_a_bom_and_has_no_number_in_scientific_notation(built_platform):
    published = _published(built_platform)
    assert len(published) >= 40
    scientific = []
    for _, dataset, folder in published:
        raw = layout.csv_file(folder, dataset).read_bytes()
        assert raw.startswith(UTF8_BOM.encode()), f"{dataset}: CSV without a byte-order mark"
        with open(layout.csv_file(folder, dataset), encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            scientific += [(dataset, header[i], cell) for row in reader for i, cell in enumerate(row) if SCIENTIFIC.match(cell)]
    assert scientific == []


def test_the_tiny_values_that_were_in_scientific_notation_are_plain_decimals_equal_to_the_warehouse(built_platform):
    """dim_unit.to_base_factor (1e-09, 1e-05) and the climate-finance amounts (2e-05, 6e-06)."""
    exports = built_platform / "exports"
    cases = {"dim_unit": ("reference", "to_base_factor"),
             "environment_climate_finance": ("environment", "disbursement_usd_million_current")}
    found = {}
    for dataset, (sector, column) in cases.items():
        folder = layout.current_link(exports, sector, dataset).resolve()
        with open(layout.csv_file(folder, dataset), encoding="utf-8-sig", newline="") as f:
            cells = [row[column] for row in csv.DictReader(f)]
        with connect_reader(get_settings().warehouse_path) as con:
            values = [v for (v,) in con.execute(f"SELECT {column} FROM curated.{dataset}").fetchall()]
        tiny = [v for v in values if v is not None and 0 < v < 0.0001]
        assert tiny, f"the real {dataset}.{column} has values below 1e-4"
        for value in tiny:  # the shortest exact text, as a plain decimal
            assert format(Decimal(repr(value)), "f") in cells, f"{dataset}.{column}: {value!r}"
        # Every cell reads back as exactly the warehouse's value.
        assert sorted(float(c) for c in cells if c) == sorted(v for v in values if v is not None)
        found[dataset] = cells
    assert "0.000000001" in found["dim_unit"]


def test_codes_with_leading_zeros_come_back_as_text_through_the_readme_pandas_path(built_platform):
    checked = 0
    for sector, dataset, folder in _published(built_platform):
        text = {name: "string" for name in _text_fields(built_platform, sector, dataset)}
        from_csv = pd.read_csv(layout.csv_file(folder, dataset), dtype=text, keep_default_na=False, na_values=[""])
        from_parquet = pd.read_parquet(layout.parquet_file(folder, dataset))
        assert list(from_csv.columns) == list(from_parquet.columns), f"{dataset}: the BOM leaked into the header"
        for column in text:
            values = from_csv[column].dropna().tolist()
            assert values == from_parquet[column].dropna().tolist(), f"{dataset}.{column}"
            checked += sum(1 for v in values if LEADING_ZERO_CODE.match(v))
    assert checked > 100, "dim_province, the bus routes, ... have codes such as '01'"


def test_the_readme_pandas_block_runs_as_written(built_platform, tmp_path):
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- readme-pandas -->\n```python\n(.*?)```", readme, re.S).group(1)
    assert 'exports = "var/exports"' in block
    script = block.replace('exports = "var/exports"', f"exports = {str(built_platform / 'exports')!r}") + (
        "\nassert provinces_csv['province_code'].tolist() == provinces['province_code'].tolist()"
        "\nassert '01' in provinces_csv['province_code'].tolist()"
        "\nprint(len(provinces_csv))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 63


def test_the_xlsx_has_text_codes_typed_numbers_and_the_contract_dictionary(built_platform):
    exports = built_platform / "exports"
    folder = layout.current_link(exports, "reference", "dim_province").resolve()
    meta = json.loads(layout.metadata_file(folder).read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(layout.xlsx_file(folder, "dim_province"), read_only=True)
    assert book.sheetnames == [DATA_SHEET, DICTIONARY_SHEET]
    rows = list(book[DATA_SHEET].iter_rows())
    header = [c.value for c in rows[0]]
    assert header == [c["name"] for c in meta["columns"]]
    assert len(rows) - 1 == meta["row_count"]
    code = [r[header.index("province_code")] for r in rows[1:]]
    assert all(c.data_type == "s" for c in code) and "01" in [c.value for c in code]
    dictionary = [[c.value for c in r] for r in book[DICTIONARY_SHEET].iter_rows()]
    assert dictionary[0] == ["column", "type", "unit", "mô tả (vi)", "description (en)"]
    assert [(r[0], r[3], r[4]) for r in dictionary[1:]] == [
        (c["name"], c["description_vi"], c["description"]) for c in meta["columns"]
    ]
    book.close()
    # Numbers stay numbers: the climate-finance amounts are numeric cells.
    folder = layout.current_link(exports, "environment", "environment_climate_finance").resolve()
    book = openpyxl.load_workbook(layout.xlsx_file(folder, "environment_climate_finance"), read_only=True)
    rows = list(book[DATA_SHEET].iter_rows(values_only=True))
    column = rows[0].index("disbursement_usd_million_current")
    assert any(isinstance(r[column], float) and 0 < r[column] < 0.0001 for r in rows[1:])
    book.close()


def test_decimal_columns_arrive_in_pandas_as_floats_equal_to_the_warehouse(built_platform):
    folder = layout.current_link(built_platform / "exports", "transport", "transport_bus_stop_points").resolve()
    meta = json.loads(layout.metadata_file(folder).read_text(encoding="utf-8"))
    decimals = {c["name"]: c["warehouse_type"] for c in meta["columns"] if c["warehouse_type"].startswith("DECIMAL")}
    assert set(decimals) == {"latitude", "longitude"}
    frame = pd.read_parquet(layout.parquet_file(folder, "transport_bus_stop_points"))
    with connect_reader(get_settings().warehouse_path) as con:
        for column, dtype in decimals.items():
            assert frame[column].dtype == "float64"
            scale = int(dtype.rstrip(")").split(",")[1])
            warehouse = [v for (v,) in con.execute(f"SELECT {column} FROM curated.transport_bus_stop_points").fetchall()]
            assert [Decimal(str(round(v, scale))).quantize(Decimal(1).scaleb(-scale)) for v in frame[column]] == warehouse


def test_a_copied_exports_folder_opens_from_anywhere_with_the_original_gone_and_runs_every_scenario(built_platform, tmp_path, monkeypatch, capsys):
    exports = built_platform / "exports"
    published = {dataset for _, dataset, _ in _published(built_platform)}
    copy = tmp_path / "elsewhere" / "exports"
    shutil.copytree(exports, copy, symlinks=True)
    moved = exports.with_name("exports.moved-away")
    exports.rename(moved)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    try:
        catalog = copy / layout.CATALOG_NAME
        con = duckdb.connect(str(catalog), read_only=True)
        try:
            tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'curated'").fetchall()}
            assert tables == published
            assert con.execute("SELECT count(*) FROM curated.dim_province WHERE province_code = '01'").fetchone()[0] >= 1
        finally:
            con.close()
        assert cli.main(["scenarios", "--catalog", str(catalog), "--csv", str(tmp_path / "results")]) == 0
        out = capsys.readouterr().out
        registry = load_registry(get_settings().registry_dir)
        scenarios = [(s.id, u.id) for s in registry.sectors.values() for u in s.usage_scenarios]
        assert out.count("ok    ") == len(scenarios) and "FAIL" not in out
        written = sorted(p.name for p in (tmp_path / "results").iterdir())
        assert written == sorted(f"{s}__{u}.csv" for s, u in scenarios)
        assert all((tmp_path / "results" / name).read_bytes().startswith(UTF8_BOM.encode()) for name in written)
    finally:
        moved.rename(exports)


def test_every_catalog_table_and_column_carries_its_title_description_and_unit(built_platform):
    exports = built_platform / "exports"
    con = duckdb.connect(str(layout.catalog_file(exports)), read_only=True)
    try:
        for sector, dataset, folder in _published(built_platform):
            meta = json.loads(layout.metadata_file(folder).read_text(encoding="utf-8"))
            (table_comment,) = con.execute(
                "SELECT comment FROM duckdb_tables() WHERE schema_name = 'curated' AND table_name = ?", [dataset]
            ).fetchone()
            assert meta["title"]["vi"] in table_comment and meta["title"]["en"] in table_comment
            comments = dict(con.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'curated' AND table_name = ?", [dataset]
            ).fetchall())
            assert comments == {c["name"]: column_comment(c) for c in meta["columns"]}, f"{sector}/{dataset}"
        (unit_comment,) = con.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'transport_airports' AND column_name = 'elevation_m'"
        ).fetchone()
        assert unit_comment.endswith("[m]")
    finally:
        con.close()


def test_a_catalog_rebuilt_while_a_reader_has_it_open_leaves_the_reader_on_a_whole_catalog(built_platform):
    from sector_datasets.publish.exports import rebuild_catalog

    exports = built_platform / "exports"
    reader = duckdb.connect(str(layout.catalog_file(exports)), read_only=True)
    try:
        before = reader.execute("SELECT count(*) FROM curated.dim_province").fetchone()[0]
        rebuild_catalog(exports)
        assert reader.execute("SELECT count(*) FROM curated.dim_province").fetchone()[0] == before
    finally:
        reader.close()
    assert not [p for p in exports.iterdir() if p.name.startswith(layout.tmp_prefix(layout.CATALOG_NAME))]


def test_a_catalog_of_views_from_before_is_rebuilt_by_the_next_report_even_with_nothing_new_served(built_platform):
    from sector_datasets.report.scenario_runs import run_scenarios

    exports = built_platform / "exports"
    catalog = layout.catalog_file(exports)
    catalog.unlink()
    parquet = layout.parquet_file(layout.current_link(exports, "reference", "dim_province").resolve(), "dim_province")
    with duckdb.connect(str(catalog)) as old:  # what earlier builds wrote: bare views over absolute paths
        old.execute(f"CREATE VIEW dim_province AS SELECT * FROM read_parquet('{parquet}')")
    registry = load_registry(get_settings().registry_dir)
    outcomes = run_scenarios(get_settings(), registry.sectors.values())
    failed = [(run.sector_id, run.scenario_id, run.detail) for runs in outcomes.values() for run in runs if not run.ok]
    assert outcomes and failed == []
    with duckdb.connect(str(catalog), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM curated.dim_province").fetchone()[0] == 63

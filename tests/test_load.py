"""Landed payloads become raw text tables: faithful values, predictable column names."""

from __future__ import annotations

import json

import duckdb
import pytest

from sector_datasets.load.raw import LoadError, load_source, normalise_column
from sector_datasets.registry import Source
from sector_datasets.state.tables import create_platform_tables


def _source(fields: dict[str, str] | None = None, **overrides) -> Source:
    base = dict(
        id="fixture_source", title="t", publisher="p", format="csv", url="https://example.org/x.csv",
        snapshot="x/x.csv", licence="CC-BY-4.0", provenance="test fixture", dbt_source="fixture.source",
        delivers={"fields": fields or {"name": "text"}},
    )
    base.update(overrides)
    return Source.model_validate(base)


@pytest.fixture
def con():
    c = duckdb.connect()
    create_platform_tables(c)
    yield c
    c.close()


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Raw Conc.", "raw_conc"),
        ("Mã số", "ma_so"),
        ("Tên 34 tỉnh sau sáp nhập", "ten_34_tinh_sau_sap_nhap"),
        ("1960", "c_1960"),
        ("  Đơn vị  ", "don_vi"),
    ],
)
def test_headers_become_ascii_snake_case(header, column):
    assert normalise_column(header) == column


def test_long_headers_are_truncated_deterministically_below_postgres_limit():
    long = "Case detection rate (all forms) [also known as TB treatment coverage], percent (c_cdr)"
    name = normalise_column(long)
    assert len(name) <= 63 and name == normalise_column(long) and name != normalise_column(long + " high bound")


def test_csv_keeps_text_faithfully_and_skips_only_blank_lines(tmp_path, con):
    (tmp_path / "page-0001.csv").write_bytes("\ufeffName,Value\nHà Nội,\"1,5\"\n,,\n\nHuế,\n".encode("utf-8"))
    result = load_source(con, _source(), tmp_path, ["page-0001.csv"], "run1", "abc")
    rows = con.execute("select name, value, _row_number from raw.fixture_source order by _row_number").fetchall()
    assert rows == [("Hà Nội", "1,5", 1), ("Huế", "", 2)]  # an empty CSV field stays '' (not NULL)
    assert result.skipped_blank_rows == 2


def test_json_null_is_null_and_numbers_keep_their_wire_text(tmp_path, con):
    payload = [{"page": 1, "pages": 1, "total": 2}, [
        {"indicator": {"id": "X", "value": "x"}, "countryiso3code": "VNM", "date": "2024", "value": None},
        {"indicator": {"id": "X", "value": "x"}, "countryiso3code": "VNM", "date": "2023", "value": 39.2147376279795},
    ]]
    (tmp_path / "page-0001.json").write_text(json.dumps(payload))
    source = _source(
        {"date": "integer", "value": "double"}, format="worldbank_json",
        url="https://api.worldbank.org/v2/country/VNM/indicator/X",
    )
    load_source(con, source, tmp_path, ["page-0001.json"], "run1", "abc")
    assert con.execute("select date, value from raw.fixture_source order by date").fetchall() == [
        ("2023", "39.2147376279795"), ("2024", None)
    ]


def test_a_file_in_the_wrong_encoding_fails_naming_file_source_and_byte(tmp_path, con):
    (tmp_path / "page-0001.csv").write_bytes("name\nHu\xe9\n".encode("latin-1"))
    with pytest.raises(LoadError, match=r"page-0001\.csv: source 'fixture_source' is declared as utf-8-sig but byte 7 \(b'\\xe9'\)"):
        load_source(con, _source(), tmp_path, ["page-0001.csv"], "run1", "abc")
    source = _source(csv={"encoding": "cp1252"})
    load_source(con, source, tmp_path, ["page-0001.csv"], "run1", "abc")
    assert con.execute("select name from raw.fixture_source").fetchone() == ("Hué",)


def test_a_ragged_line_fails_instead_of_shifting_columns(tmp_path, con):
    (tmp_path / "page-0001.csv").write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(LoadError, match="line with 3 fields, header has 2"):
        load_source(con, _source(), tmp_path, ["page-0001.csv"], "run1", "abc")


def test_a_failed_load_leaves_the_previous_raw_table(tmp_path, con):
    (tmp_path / "good.csv").write_text("a\n1\n")
    load_source(con, _source({"a": "integer"}), tmp_path, ["good.csv"], "run1", "abc")
    (tmp_path / "bad.csv").write_text("a\n1,2\n")
    with pytest.raises(LoadError):
        load_source(con, _source({"a": "integer"}), tmp_path, ["bad.csv"], "run2", "def")
    assert con.execute("select a, _landing_run from raw.fixture_source").fetchall() == [("1", "run1")]

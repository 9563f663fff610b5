"""The export file writers on small real DuckDB tables: the cases the real data may not hold."""

from __future__ import annotations

from datetime import datetime

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from sector_datasets.csv_text import csv_field, plain_number
from sector_datasets.publish.export_files import (
    DATA_SHEET, UTF8_BOM, duckdb_columns, write_csv, write_parquet, write_xlsx,
)
from sector_datasets.warehouse.duckdb_lock import quote_ident


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e-05, "0.00001"), (1e-09, "0.000000001"), (2.2e-05, "0.000022"), (1.5e20, "150000000000000000000"),
     (-6e-06, "-0.000006"), (0.1, "0.1"), (21.028511, "21.028511"), (1.0, "1.0"), (3e16, "30000000000000000")],
)
def test_plain_number_is_the_shortest_exact_text_without_an_exponent(value, text):
    assert plain_number(value) == text
    assert float(text) == value


@pytest.fixture
def con():
    with duckdb.connect() as con:
        con.execute(
            """CREATE TABLE t AS SELECT * FROM (VALUES
                 ('01', 21.028511::DECIMAL(9,6), 0.123456789012345678::DECIMAL(38,18), 1e-05, '', 'a,"b"', '=1+1', DATE '2024-01-31', true),
                 ('10', NULL, NULL, NULL, NULL, 'x', 'y', NULL, NULL)
               ) AS v(code, lat, precise, tiny, empty, quoted, formula, day, flag)"""
        )
        yield con


def test_csv_has_a_bom_plain_decimals_null_versus_empty_and_quotes_where_needed(con, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(con, "t", path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(UTF8_BOM + "code,lat,precise,tiny,empty,quoted,formula,day,flag\n")
    lines = text[1:].splitlines()
    assert lines[1] == '01,21.028511,0.123456789012345678,0.00001,"","a,""b""",=1+1,2024-01-31,true'
    assert lines[2] == "10,,,,,x,y,,"
    # DuckDB reads it back with the same values (the BOM skipped, "" an empty text, a bare field NULL).
    back = con.execute(f"SELECT code, tiny, empty, quoted FROM read_csv('{path}', all_varchar = true, allow_quoted_nulls = false)").fetchall()
    assert back == [("01", "0.00001", "", 'a,"b"'), ("10", None, None, "x")]


def python_csv(con, relation: str) -> bytes:
    """The oracle: the row-by-row Python writer that ``write_csv`` replaced (csv_text's spelling of
    Python floats, ``CAST(… AS VARCHAR)`` of everything else); the COPY must give these bytes."""
    columns = duckdb_columns(con, relation)
    floats = [dtype in ("DOUBLE", "FLOAT") for _, dtype in columns]
    select = ", ".join(quote_ident(n) if f else f"CAST({quote_ident(n)} AS VARCHAR)" for (n, _), f in zip(columns, floats))
    lines = [",".join(csv_field(name) for name, _ in columns)]
    for row in con.execute(f"SELECT {select} FROM {relation}").fetchall():
        lines.append(",".join("" if v is None else plain_number(v) if f else csv_field(v) for v, f in zip(row, floats)))
    return (UTF8_BOM + "".join(line + "\n" for line in lines)).encode("utf-8")


#: Every awkward spelling, one column per type, and a row of NULLs; the names need quoting too.
_TRICKY_COLUMNS = (
    '"code" VARCHAR, "a,b" VARCHAR, "q""uote" DOUBLE, "Tên tỉnh" FLOAT, "#n\\new" DECIMAL(9,6), "wide" DECIMAL(38,18), '
    '"big" HUGEINT, "flag" BOOLEAN, "day" DATE, "at" TIMESTAMP, "at_tz" TIMESTAMPTZ, "clock" TIME, "span" INTERVAL, '
    '"id" UUID, "raw" BLOB, "ints" INTEGER[], "xs" DOUBLE[], "rec" STRUCT(a VARCHAR, b DOUBLE), "kv" MAP(VARCHAR, INTEGER)'
)
_TRICKY_ROWS = [
    "('01', '', 1e-05, 0.1, 21.028511, 0.123456789012345678, 170141183460469231731687303715884105727, true, "
    "DATE '2024-01-31', TIMESTAMP '2024-01-31 13:45:06.123456', TIMESTAMPTZ '2024-01-31 13:45:06+07', TIME '23:59:59', "
    "INTERVAL 36 HOUR, '00000000-0000-0000-0000-000000000001', '\\xAB'::BLOB, [1, NULL], [1e-05, 1e16], "
    "{'a': 'x,y', 'b': 1e-07}, MAP {'k': 1})",
    "('007', ' lead', 1e16, 1e-07, -0.000001, -1, -1, false, DATE '0001-01-01', TIMESTAMP '1970-01-01', NULL, NULL, "
    "INTERVAL 0 DAY, NULL, ''::BLOB, [], [], {'a': '', 'b': NULL}, MAP {})",
    "('', 'trail ', CAST('-0.0' AS DOUBLE), 3e38, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "('a,b', 'q\"q', 'inf', 'inf', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "('x' || chr(10) || 'y', 'x' || chr(13) || chr(10) || 'y', '-inf', '-inf', NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "('x' || chr(13) || 'y', '#x', 'nan', 'nan', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL)",
    "('Tiếng Việt có dấu: Hà Nội, Đắk Lắk', chr(65279) || 'bom', -CAST('nan' AS DOUBLE), -CAST('nan' AS FLOAT), NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "('NULL', '\\N', 5e-324, 1.4e-45, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL)",
    "('a' || chr(9) || 'b ' || chr(0) || ' 😀', '\"\"', 1.7976931348623157e308, 1.0, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
]


def test_csv_is_byte_for_byte_what_the_python_writer_wrote_for_every_awkward_value(tmp_path):
    path = tmp_path / "it's.csv"  # a quote in the path: COPY's file name is an SQL literal
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
        con.execute(f"CREATE TABLE t ({_TRICKY_COLUMNS})")
        con.execute(f"INSERT INTO t VALUES {', '.join(_TRICKY_ROWS)}")
        write_csv(con, "t", path)
        expected = python_csv(con, "t")
    assert path.read_bytes() == expected
    # the cases that must be in the file for the comparison to mean anything
    for needle in [',Tên tỉnh,#n\\new,', '"q""uote"', '"a,b"', '\n01,"",0.00001,0.10000000149011612,',
                   "10000000000000000,0.00000010000000116860974", '"x\ry"', '"x\r\ny"', ",#x,", "-0.0,", ",-inf,-inf,",
                   '""""""', "Đắk Lắk", "\n,,,,,,,,,,,,,,,,,,\n"]:
        assert needle.encode() in expected, needle
    assert expected.count(b",nan,nan,") == 2  # DuckDB's own text of the second one is -nan


def test_csv_of_an_empty_relation_is_its_header(tmp_path):
    path = tmp_path / "empty.csv"
    with duckdb.connect() as con:
        relation = "(SELECT 1 AS \"x,y\", 0.5 AS z WHERE false) AS r"  # the usage scenarios pass a subquery
        write_csv(con, relation, path)
        assert path.read_bytes() == python_csv(con, relation) == (UTF8_BOM + '"x,y",z\n').encode()


def test_csv_spells_random_doubles_and_floats_as_python_did(tmp_path):
    """DuckDB's text of a double is the shortest round trip, like ``repr``; a sample of random bit
    patterns and the powers of ten with their neighbours (both sides of every exponent threshold)."""
    rng = np.random.default_rng(19)
    edges = [m * 10.0 ** e for e in range(-30, 30) for m in (1.0, 1.5, 9.999999999999998, 1.2345678901234567)]
    edges += [float(f"1e{e}") for e in range(-323, 309)]
    edges = np.array(edges)
    values = np.concatenate([
        rng.integers(0, 2**64, size=20_000, dtype=np.uint64).view(np.float64),
        edges, np.nextafter(edges, 0), np.nextafter(edges, np.inf), -edges,
        rng.integers(-2**60, 2**60, 2_000).astype(np.float64), rng.uniform(1e15, 1e17, 2_000), rng.uniform(1e-6, 1e-4, 2_000),
    ])
    path = tmp_path / "floats.csv"
    with duckdb.connect() as con:
        floats = rng.integers(0, 2**32, size=len(values), dtype=np.uint32).view(np.float32)
        # Arrow keeps NaN (numpy input would make it NULL)
        con.register("v", pa.table({"x": pa.array(values), "f": pa.array(floats)}))
        con.execute("CREATE TABLE t AS SELECT * FROM v")
        assert con.execute("SELECT count(*) FILTER (WHERE CAST(x AS VARCHAR) LIKE '%e%') > 5000, "
                           "count(*) FILTER (WHERE isnan(x)) > 0 FROM t").fetchone() == (True, True)
        write_csv(con, "t", path)
        expected = python_csv(con, "t")
    assert path.read_bytes() == expected


def test_parquet_has_double_for_an_exact_decimal_and_keeps_one_a_double_cannot_hold(con, tmp_path, caplog):
    path = tmp_path / "t.parquet"
    write_parquet(con, "t", path, "sector 'x' dataset 't'")
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))").fetchall())
    assert types["lat"] == "DOUBLE" and types["precise"] == "DECIMAL(38,18)"
    assert "sector 'x' dataset 't': column 'precise' (DECIMAL(38,18)) does not round-trip" in caplog.text
    frame = pd.read_parquet(path)
    assert frame["lat"].tolist()[0] == 21.028511 and frame["code"].tolist() == ["01", "10"]


def test_xlsx_keeps_text_as_text_even_when_it_looks_like_a_number_or_a_formula(con, tmp_path):
    path = tmp_path / "t.xlsx"
    dictionary = [{"name": "code", "type": "text", "unit": None, "description": "Code", "description_vi": "Mã"}]
    assert write_xlsx(con, "t", path, dictionary, "t")
    book = openpyxl.load_workbook(path)
    rows = list(book[DATA_SHEET].iter_rows())
    first = {h.value: c for h, c in zip(rows[0], rows[1])}
    assert (first["code"].value, first["code"].data_type) == ("01", "s")
    assert (first["formula"].value, first["formula"].data_type) == ("=1+1", "s")
    assert first["lat"].value == 21.028511 and first["tiny"].value == 1e-05 and first["flag"].value is True
    assert [c.value for c in list(book["dictionary"].iter_rows())[1]] == ["code", "text", None, "Mã", "Code"]



def test_xlsx_cells_keep_what_openpyxl_wrote_for_the_awkward_values(tmp_path):
    """The writer changed from openpyxl to XlsxWriter; readers still get the same cells."""
    path = tmp_path / "t.xlsx"
    with duckdb.connect() as con:
        con.execute(
            """CREATE TABLE t AS SELECT '' AS empty, 'a' || chr(13) || chr(10) || 'b' || chr(13) || 'c' AS lines,
                 chr(1) || 'x' AS ctrl, 'nan'::DOUBLE AS nan, TIMESTAMP '2024-01-01 13:45:06' AS at, 1.25::DECIMAL(9,2) AS dec"""
        )
        assert write_xlsx(con, "t", path, [{"name": "empty", "type": "text", "unit": None}], "t")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [DATA_SHEET, "dictionary"] and book[DATA_SHEET].freeze_panes == "A2"
    cells = {h.value: c for h, c in zip(*book[DATA_SHEET].iter_rows())}
    assert cells["empty"].value is None and cells["nan"].value is None
    assert (cells["lines"].value, cells["ctrl"].value) == ("a\nb\nc", "x")
    assert (cells["at"].value, cells["at"].number_format) == (datetime(2024, 1, 1, 13, 45, 6), "yyyy-mm-dd h:mm:ss")
    assert (cells["dec"].value, cells["dec"].data_type) == (1.25, "n")
    assert [c.value for c in list(book["dictionary"].iter_rows())[1]] == ["empty", "text", None, None, None]

def _publish(con, exports, version: int, rows: int) -> None:
    from sector_datasets.publish.exports import serve_folder, write_exports
    from sector_datasets.state import layout

    con.execute(f"CREATE OR REPLACE TABLE src AS SELECT range AS id, '0' || range AS code FROM range({rows})")
    columns = [{"name": "id", "type": "integer", "description": "Id", "description_vi": "Số", "unit": "count"},
               {"name": "code", "type": "text", "description": "Code", "description_vi": "Mã"}]
    meta = {"sector": {"id": "demo"}, "title": {"vi": "Thử", "en": "Demo"}, "version": version, "columns": columns}
    folder = layout.version_dir(exports, "demo", "demo_codes", version)
    write_exports(con, "src", folder, "demo_codes", meta)
    serve_folder(exports, folder)


def test_the_catalog_reloads_only_what_changed_and_replaces_a_catalog_of_views(tmp_path):
    from sector_datasets.state import layout

    exports = tmp_path / "exports"
    exports.mkdir()
    catalog = layout.catalog_file(exports)
    with duckdb.connect(str(catalog)) as old:  # the catalog of views over absolute paths, from before
        old.execute("CREATE VIEW demo_codes AS SELECT 1 AS id")
    with duckdb.connect() as con:
        _publish(con, exports, 1, 3)
        with duckdb.connect(str(catalog), read_only=True) as reader:
            assert reader.execute("SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2").fetchall() == [
                ("curated", "demo_codes"), ("main", "catalog_sources")]
            assert reader.execute("SELECT count(*) FROM curated.demo_codes").fetchone()[0] == 3
        _publish(con, exports, 2, 5)
    with duckdb.connect(str(catalog), read_only=True) as reader:
        assert reader.execute("SELECT count(*), min(code) FROM curated.demo_codes").fetchone() == (5, "00")
        assert reader.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'demo_codes'").fetchone()[0] == "Thử / Demo (v2)"
        assert dict(reader.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'demo_codes'").fetchall()) == {
            "id": "Số / Id [count]", "code": "Mã / Code"}
        (stamp,) = reader.execute("SELECT parquet FROM catalog_sources WHERE dataset = 'demo_codes'").fetchone()
    assert stamp.startswith("v0002/demo_codes.parquet:")
    assert sorted(p.name for p in exports.iterdir()) == [".catalog.duckdb.lock", "catalog.duckdb", "demo"]

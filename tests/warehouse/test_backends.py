"""The warehouse setting and the backend helpers that need no database server."""

from __future__ import annotations

import datetime as dt
import decimal

import duckdb
import pytest

from sector_datasets.warehouse import dialect_of, get_backend
from devtools.compare import compare_rows
from sector_datasets.warehouse.duckdb import DuckDBBackend, DuckDBDialect
from sector_datasets.warehouse.pg_connection import dsn_parts, translate_placeholders
from sector_datasets.warehouse.postgres import PostgresBackend, duckdb_type
from sector_datasets.secret_handling import redact_dsn
from sector_datasets.settings import DEFAULT_PG_DSN, get_settings


def test_duckdb_is_the_default(monkeypatch):
    monkeypatch.delenv("SECTOR_DATASETS_WAREHOUSE_KIND", raising=False)
    settings = get_settings()
    assert settings.warehouse_kind == "duckdb"
    assert isinstance(get_backend(settings), DuckDBBackend)


@pytest.mark.parametrize("value", ["postgres", "PostgreSQL", " pg "])
def test_postgres_is_selected_by_the_setting(monkeypatch, value):
    monkeypatch.setenv("SECTOR_DATASETS_WAREHOUSE_KIND", value)
    monkeypatch.delenv("SECTOR_DATASETS_PG_DSN", raising=False)
    settings = get_settings()
    assert settings.warehouse_kind == "postgres"
    backend = get_backend(settings)
    assert isinstance(backend, PostgresBackend)
    assert backend.dsn == DEFAULT_PG_DSN
    assert backend.dbt_target == "postgres"


def test_an_unknown_kind_is_refused(monkeypatch):
    monkeypatch.setenv("SECTOR_DATASETS_WAREHOUSE_KIND", "sqlite")
    with pytest.raises(ValueError, match="SECTOR_DATASETS_WAREHOUSE_KIND"):
        get_settings()


def test_the_dsn_password_reaches_dbt_but_no_description(monkeypatch):
    monkeypatch.setenv("SECTOR_DATASETS_WAREHOUSE_KIND", "postgres")
    monkeypatch.setenv("SECTOR_DATASETS_PG_DSN", "postgres://etl:s3cr%40t@db.example:6543/wh")
    backend = get_backend(get_settings())
    assert backend.dsn == "postgresql://etl:s3cr%40t@db.example:6543/wh"
    env = backend.dbt_env()
    assert env["SECTOR_DATASETS_PG_HOST"] == "db.example"
    assert env["SECTOR_DATASETS_PG_PORT"] == "6543"
    assert env["SECTOR_DATASETS_PG_USER"] == "etl"
    assert env["SECTOR_DATASETS_PG_DBNAME"] == "wh"
    # dbt scrubs DBT_ENV_SECRET_* from its logs
    assert env["DBT_ENV_SECRET_SECTOR_DATASETS_PG_PASSWORD"] == "s3cr@t"
    assert "s3cr" not in backend.describe()
    assert redact_dsn("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"


def test_dsn_defaults():
    assert dsn_parts("postgresql:///") == {
        "host": "127.0.0.1", "port": "5432", "user": "postgres", "password": "", "dbname": "postgres",
    }
    with pytest.raises(ValueError):
        dsn_parts("mysql://h/db")


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT ?", "SELECT %s"),
        ("WHERE a LIKE ? AND b = '?' AND c = '50%'", "WHERE a LIKE %s AND b = '?' AND c = '50%%'"),
        ('SELECT "a?b" FROM t WHERE x = ?', 'SELECT "a?b" FROM t WHERE x = %s'),
        ("SELECT 1 -- why? 100%\nFROM t WHERE y = ?", "SELECT 1 -- why? 100%%\nFROM t WHERE y = %s"),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', %s"),
    ],
)
def test_duckdb_placeholders_become_psycopg2_ones(sql, expected):
    assert translate_placeholders(sql) == expected


@pytest.mark.parametrize(
    ("pg", "duck"),
    [
        ("text", "VARCHAR"), ("character varying(20)", "VARCHAR"), ("double precision", "DOUBLE"),
        ("bigint", "BIGINT"), ("integer", "INTEGER"), ("numeric(9,6)", "DECIMAL(9,6)"), ("numeric", "DOUBLE"),
        ("boolean", "BOOLEAN"), ("date", "DATE"), ("timestamp without time zone", "TIMESTAMP"),
        ("json", "JSON"), ("text[]", "VARCHAR[]"), ("something_new", "VARCHAR"),
    ],
)
def test_postgres_types_are_spelled_as_duckdb_does(pg, duck):
    assert duckdb_type(pg) == duck


def test_dialect_follows_the_connection():
    con = duckdb.connect()
    try:
        assert isinstance(dialect_of(con), DuckDBDialect)
    finally:
        con.close()


def test_compare_rows_is_order_free_and_tolerant_for_floats_only():
    cols = ["k", "x", "d", "when"]
    left = [("a", 0.1 + 0.2, decimal.Decimal("1.50"), dt.date(2020, 1, 1)), ("b", None, None, None)]
    right = [("b", None, None, None), ("a", 0.3, decimal.Decimal("1.5"), dt.date(2020, 1, 1))]
    assert compare_rows("t", left, right, cols) == []
    assert compare_rows("t", left, right[:1], cols) == ["t: 2 rows in duckdb, 1 in postgres"]
    worse = [("b", None, None, None), ("a", 0.31, decimal.Decimal("1.5"), dt.date(2020, 1, 1))]
    (difference,) = compare_rows("t", left, worse, cols)
    assert "1 of 2 sorted rows differ" in difference and "x: 0.30000000000000004 vs 0.31" in difference
    assert compare_rows("t", [("a", decimal.Decimal("1.1"))], [("a", decimal.Decimal("1.2"))], ["k", "d"])

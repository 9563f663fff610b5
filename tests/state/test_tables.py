"""state.tables: a fresh DuckDB warehouse gets every platform table from the backend's writer open."""

from __future__ import annotations

import duckdb

from sector_datasets.settings import get_settings
from sector_datasets.state.tables import PLATFORM_TABLES, SCHEMAS, create_platform_tables
from sector_datasets.warehouse import get_backend

EXPECTED = {
    "meta.loads", "meta.publications", "meta.current", "meta.run_decisions", "meta.dataset_state",
    "quality.validation_results", "quality.diffs", "meta.approvals",
}


def _tables(con) -> set[str]:
    return {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('meta', 'quality')"
        ).fetchall()
    }


def test_create_platform_tables_on_a_fresh_duckdb_file_is_idempotent(tmp_path):
    with duckdb.connect(str(tmp_path / "fresh.duckdb")) as con:
        create_platform_tables(con)
        create_platform_tables(con)
        assert set(PLATFORM_TABLES) == EXPECTED == _tables(con)
        schemas = {s for (s,) in con.execute("SELECT schema_name FROM information_schema.schemata").fetchall()}
        assert set(SCHEMAS) <= schemas


def test_the_duckdb_writer_creates_them_again_after_the_file_is_deleted(tmp_path, monkeypatch):
    monkeypatch.setenv("SECTOR_DATASETS_HOME", str(tmp_path))
    monkeypatch.setenv("SECTOR_DATASETS_WAREHOUSE_KIND", "duckdb")
    monkeypatch.delenv("SECTOR_DATASETS_WAREHOUSE", raising=False)
    backend = get_backend(get_settings())
    for _ in range(2):  # same process, same path, a new file each time
        with backend.connect_writer("test: fresh warehouse") as con:
            assert _tables(con) == EXPECTED
            con.execute("INSERT INTO meta.loads VALUES ('s', 'r', 'sha', 1, now()::TIMESTAMP)")
        backend.path.unlink()

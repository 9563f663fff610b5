"""Warehouse backends: DuckDB (embedded, the default) or PostgreSQL, behind one small interface.

``SECTOR_DATASETS_WAREHOUSE_KIND`` (``duckdb`` | ``postgres``) picks one for the whole platform: the
loader's raw tables, dbt's target (``dbt_project/profiles.yml``), the gate's Great Expectations SQL
datasource and publish (versioned ``curated`` tables, the ``curated.<dataset>`` view, exports). The
dbt models, expectation suites and registry are the same on both; the few SQL differences of the
models live in ``dbt_project/macros/cross_db/`` (``adapter.dispatch``), those of the Python stages
in a :class:`~.base.Dialect`.

    backend = get_backend(settings)            # DuckDBBackend or PostgresBackend
    with backend.connect_writer("publish x") as con:
        dialect_of(con).table_checksum(con, "audit.x")

``duckdb_lock`` is the DuckDB file's single-writer discipline; the comparators used by tests live
in ``devtools.compare``, outside the runtime package.
"""

from __future__ import annotations

from typing import Any

from sector_datasets.settings import Settings, get_settings
from sector_datasets.warehouse.base import Backend, Dialect

__all__ = ["Backend", "Dialect", "dialect_of", "get_backend"]


def get_backend(settings: Settings | None = None) -> Backend:
    settings = settings or get_settings()
    if settings.warehouse_kind == "postgres":
        from sector_datasets.warehouse.postgres import PostgresBackend

        return PostgresBackend(settings)
    from sector_datasets.warehouse.duckdb import DuckDBBackend

    return DuckDBBackend(settings)


def dialect_of(con: Any) -> Dialect:
    """The SQL dialect of an open warehouse connection (a DuckDB connection or a PgConnection)."""
    if getattr(con, "dialect_name", None) == "postgres":
        from sector_datasets.warehouse.postgres import PostgresDialect

        return PostgresDialect()
    from sector_datasets.warehouse.duckdb import DuckDBDialect

    return DuckDBDialect()

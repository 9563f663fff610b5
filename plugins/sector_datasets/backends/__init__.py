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

:func:`compare_curated` checks that a PostgreSQL warehouse holds, row for row, the curated datasets
of a DuckDB build (used by the Postgres-mode tests and the scale-out test).
"""

from __future__ import annotations

from typing import Any

from ..settings import Settings, get_settings
from .base import Backend, Dialect
from .compare import compare_curated

__all__ = ["Backend", "Dialect", "compare_curated", "dialect_of", "get_backend"]


def get_backend(settings: Settings | None = None) -> Backend:
    settings = settings or get_settings()
    if settings.warehouse_kind == "postgres":
        from .postgres import PostgresBackend

        return PostgresBackend(settings)
    from .duckdb import DuckDBBackend

    return DuckDBBackend(settings)


def dialect_of(con: Any) -> Dialect:
    """The SQL dialect of an open warehouse connection (a DuckDB connection or a PgConnection)."""
    if getattr(con, "dialect_name", None) == "postgres":
        from .postgres import PostgresDialect

        return PostgresDialect()
    from .duckdb import DuckDBDialect

    return DuckDBDialect()

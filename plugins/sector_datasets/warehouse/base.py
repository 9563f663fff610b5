"""The interface every warehouse backend implements.

Two objects per backend, so that the stage code stays free of ``if kind == ...``:

* :class:`Backend` — where the warehouse is and how the stages reach it: writer/reader
  connections, the lock held around a dbt build or a gate, the dbt target and its environment,
  and what the Great Expectations SQL datasource connects to. Built from :class:`Settings`.
* :class:`Dialect` — the few SQL statements the Python stages issue that DuckDB and PostgreSQL
  spell differently (replace a raw table from rows, checksum a relation, list its columns,
  replace a view, a temporary table, regular expressions, sha256, a relation handed to DuckDB
  for the export files). Chosen
  from the *connection* (:func:`sector_datasets.warehouse.dialect_of`), so functions that take a
  connection — ``publish_dataset``, ``privacy.*``, ``load_source`` — need no extra argument.

Everything else the stages run (``information_schema`` queries, ``meta``/``quality`` tables,
``?`` parameters, ``BEGIN``/``COMMIT``) is written once in SQL both databases accept; the
PostgreSQL connection wrapper translates the ``?`` placeholders.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sector_datasets.settings import Settings


class Dialect:
    """SQL that differs between warehouses, for the statements the Python stages issue."""

    name: str = "abstract"

    # -- raw tables -------------------------------------------------------------------------
    def replace_raw_table(
        self, con: Any, schema: str, table: str, columns: Sequence[str], rows: Sequence[Sequence[str | None]],
        *, source_id: str, run_id: str, source_file: str, loaded_at: str,
    ) -> None:
        """Replace ``schema.table`` with ``rows`` (all text; None is NULL, "" stays "") plus the
        meta columns ``_source_id, _landing_run, _source_file, _row_number, _loaded_at``.
        Runs inside the caller's transaction."""
        raise NotImplementedError

    # -- relations --------------------------------------------------------------------------
    def table_checksum(self, con: Any, relation: str) -> tuple[int, str]:
        """Row count and an order-independent content checksum (comparable within one warehouse)."""
        raise NotImplementedError

    def columns_of(self, con: Any, relation: str) -> list[tuple[str, str]]:
        """(name, type) of every column of a table, view or temporary table, in order. Types are
        spelled as DuckDB does (VARCHAR, DOUBLE, BIGINT, DECIMAL(9,6), ...) on every backend, so
        data dictionaries, Frictionless schemas and privacy checks read the same everywhere."""
        raise NotImplementedError

    def replace_view(self, con: Any, view: str, select_sql: str) -> None:
        """Point ``view`` at ``select_sql`` (atomically for readers when inside a transaction)."""
        raise NotImplementedError

    def create_temp_table(self, con: Any, name: str, select_sql: str, params: Sequence[Any] = ()) -> str:
        """(Re)create a session-private table ``name`` from ``select_sql``; returns how to refer to it."""
        raise NotImplementedError

    def is_temp_relation(self, relation: str) -> bool:
        raise NotImplementedError

    def drop_temp_table(self, con: Any, relation: str) -> None:
        if self.is_temp_relation(relation):
            con.execute(f"DROP TABLE IF EXISTS {relation}")

    # -- expressions (each uses one ``?`` parameter for the pattern) -------------------------
    def regexp_matches_sql(self, expr: str) -> str:
        raise NotImplementedError

    def regexp_extract_sql(self, expr: str, group: int) -> str:
        raise NotImplementedError

    def sha256_hex_sql(self, expr: str) -> str:
        raise NotImplementedError

    def approx_distinct_sql(self, expr: str) -> str | None:
        """A cheap estimate of ``count(DISTINCT expr)`` (no parameter), or None if there is none."""
        return None

    # -- exports ----------------------------------------------------------------------------
    def as_duckdb(self, con: Any, relation: str) -> AbstractContextManager[tuple[Any, str]]:
        """``(duckdb_connection, relation)``: ``relation`` readable by DuckDB, with its DuckDB
        types, for as long as the context lasts. The export files (Parquet, CSV, XLSX) are
        written from it by one path, :func:`sector_datasets.publish.exports.write_exports`,
        whatever the warehouse."""
        raise NotImplementedError


class Backend:
    """Where the warehouse lives and how the stages reach it."""

    kind: str = "abstract"
    #: dbt profile output (dbt_project/profiles.yml) this backend builds with
    dbt_target: str = "abstract"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def connect_writer(self, holder: str = "") -> AbstractContextManager[Any]:
        """A connection that may write; the standard schemas and meta tables exist."""
        raise NotImplementedError

    def connect_reader(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def build_lock(self, holder: str = "") -> AbstractContextManager[None]:
        """Held around one sector's ``dbt build`` (sectors share upstream models)."""
        raise NotImplementedError

    def read_lock(self, holder: str = "") -> AbstractContextManager[None]:
        """Held while the gate (or dbt docs) reads the warehouse with a connection of its own."""
        raise NotImplementedError

    def dbt_env(self) -> dict[str, str]:
        """Environment variables dbt's profile reads for this backend (merged into dbt's env)."""
        raise NotImplementedError

    def gate_target(self) -> Path | str:
        """What :func:`sector_datasets.gate.validate_table` validates: a DuckDB file or a URL."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line for people (no secrets)."""
        raise NotImplementedError

    def exists(self) -> bool:
        """Whether the warehouse exists already (a reader on a missing one gets an error)."""
        raise NotImplementedError

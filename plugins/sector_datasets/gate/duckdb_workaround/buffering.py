"""Patch 1, GX #11579: every metric fails on DuckDB. The essential patch: without it no metric
at all is computed.

Symptom
    With a ``SQLDatasource`` on ``duckdb:///...`` every expectation comes back with
    ``exception_info`` ``IndexError: list index out of range`` raised from
    ``SqlAlchemyExecutionEngine.resolve_metric_bundle`` (``len(res[0])`` on an empty list), so no
    metric (row count, null count, ...) is ever computed.

Cause
    ``SqlAlchemyExecutionEngine.execute_query`` (GX 1.24.1,
    ``great_expectations/execution_engine/sqlalchemy_execution_engine.py``) is::

        with self.get_connection() as connection:
            result = self._execute_query_with_recovery(connection, query)
        return result                      # <- connection already closed / back in the pool

    and every caller (``resolve_metric_bundle``, the unexpected-values metrics, ...) calls
    ``.fetchall()`` / ``.fetchmany()`` on the returned *unbuffered* ``CursorResult`` after the
    ``with`` block has returned the connection to the pool. For most drivers the cursor still
    holds its rows; for duckdb-engine the pool's reset-on-return (a rollback on the single
    DuckDB connection behind the cursor) discards the pending result, so the fetch returns
    ``[]``. The same happens to ``execute_query_in_transaction``. Only dialects listed in
    ``_PERSISTED_CONNECTION_DIALECTS`` (sqlite, mssql, ...) keep their connection open, which
    is why GX's own test matrix never sees it.

Patch (the one place rows must be read while the connection is open)
    ``SqlAlchemyExecutionEngine._execute_query_with_recovery`` is the static helper both
    ``execute_query`` and ``execute_query_in_transaction`` call *inside* their ``with
    get_connection()`` block. We wrap it so that, for the ``duckdb`` dialect only, a
    row-returning result is buffered there and then (``result.freeze()``, i.e. ``fetchall``
    into a ``FrozenResult``) and handed back as a fresh in-memory ``Result`` (``frozen()``), which
    supports the same ``fetchall``/``fetchmany``/``fetchone``/``scalar``/``keys`` API. Results that
    return no rows (DDL, inserts) and other dialects pass through untouched.

    Buffering is cheap for how GX uses it: bundled metrics return a single row, and with
    ``result_format`` ``BASIC``/``SUMMARY`` the unexpected-value queries carry a ``LIMIT``. With
    ``COMPLETE`` on a failing big table every unexpected row would be buffered (GX itself then
    ``fetchmany(MAX_RESULT_RECORDS)`` them anyway).

Removal
    ``tests/gate/test_duckdb_workaround.py`` runs one metric in a clean subprocess *without*
    this patch and fails with "GX #11579 appears fixed upstream: remove duckdb_workaround" as
    soon as GX stops reproducing the bug; ``python -m sector_datasets.gate.duckdb_workaround``
    prints the same probe (:mod:`.upstream`). Upstream status at 1.24.1: issue closed, PR #11635
    only turned the ``IndexError`` into a clearer error, the rows are still read after the
    connection closes.
"""

from __future__ import annotations

import functools
from typing import Any

from sector_datasets.gate.duckdb_workaround.marker import is_marked, mark


def _buffered(execute: Any) -> Any:
    """Wrap ``_execute_query_with_recovery(connection, query)`` to buffer DuckDB results."""

    @functools.wraps(execute)
    def _execute_query_with_recovery(connection: Any, query: Any) -> Any:
        result = execute(connection, query)
        if connection.dialect.name != "duckdb" or not getattr(result, "returns_rows", False):
            return result
        # Read every row now, while ``connection`` is still checked out (GX #11579).
        return result.freeze()()

    return mark(_execute_query_with_recovery)


def is_patched() -> bool:
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    return is_marked(SqlAlchemyExecutionEngine.__dict__.get("_execute_query_with_recovery"))


def patch() -> None:
    """Wrap ``SqlAlchemyExecutionEngine._execute_query_with_recovery`` once."""
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine as cls

    current = cls.__dict__.get("_execute_query_with_recovery")
    if is_marked(current):
        return
    if not isinstance(current, staticmethod):
        raise RuntimeError(
            "duckdb_workaround (GX #11579): SqlAlchemyExecutionEngine."
            "_execute_query_with_recovery is no longer a staticmethod in this Great "
            "Expectations version; re-check the issue and update "
            "sector_datasets/gate/duckdb_workaround/buffering.py"
        )
    cls._execute_query_with_recovery = staticmethod(_buffered(current.__func__))

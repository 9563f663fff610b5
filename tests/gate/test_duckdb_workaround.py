"""The DuckDB workarounds for GX 1.24.1 are still needed, and they work.

The unpatched checks run GX in a clean subprocess (this process may already be patched) and
fail with an explicit "remove ..." message as soon as upstream fixes the problem.
"""

from __future__ import annotations

import pytest

from sector_datasets.gate import duckdb_workaround


@pytest.fixture(scope="module")
def unpatched() -> dict:
    return duckdb_workaround.probe(patched=False)


def test_gx_11579_still_reproduces_without_the_patch(unpatched: dict) -> None:
    fixed = unpatched["ok"] and unpatched["row_count"] == 3
    assert not fixed and unpatched["index_error"], (
        "GX #11579 appears fixed upstream: remove duckdb_workaround "
        f"(patch 1, buffering in _execute_query_with_recovery). Unpatched probe: {unpatched}"
    )


def test_duckdb_dialect_module_still_missing_without_the_patch(unpatched: dict) -> None:
    assert unpatched["dialect_module_missing"], (
        "GX now sets a dialect_module for duckdb: remove patch 3 (regex/LIKE dialect module) "
        f"from duckdb_workaround. Unpatched probe: {unpatched}"
    )


def test_schema_qualified_reflection_still_broken() -> None:
    assert duckdb_workaround.reflection_is_broken(), (
        "SQLAlchemy/duckdb-engine now reflect schema-qualified DuckDB tables: remove patch 2 "
        "(information_schema column reflection) from duckdb_workaround"
    )


def test_with_the_patch_the_metric_succeeds() -> None:
    patched = duckdb_workaround.probe(patched=True)
    assert patched["ok"], patched
    assert patched["row_count"] == 3
    assert patched["error"] is None
    assert not patched["dialect_module_missing"]


def test_apply_is_idempotent() -> None:
    from great_expectations.execution_engine.sqlalchemy_execution_engine import (
        SqlAlchemyExecutionEngine,
    )
    from great_expectations.expectations.metrics import util as metrics_util

    duckdb_workaround.apply()
    first = (
        SqlAlchemyExecutionEngine.__dict__["_execute_query_with_recovery"].__func__,
        metrics_util._get_columns_from_selectable,
        SqlAlchemyExecutionEngine.__init__,
    )
    duckdb_workaround.apply()
    second = (
        SqlAlchemyExecutionEngine.__dict__["_execute_query_with_recovery"].__func__,
        metrics_util._get_columns_from_selectable,
        SqlAlchemyExecutionEngine.__init__,
    )
    assert first == second
    assert duckdb_workaround.is_applied()
    # Wrapped exactly once: what each patch wraps is GX's own function, not another patch.
    for patched in first:
        assert getattr(patched, duckdb_workaround._MARKER)
        assert not getattr(patched.__wrapped__, duckdb_workaround._MARKER, False)

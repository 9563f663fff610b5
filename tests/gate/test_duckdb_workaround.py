"""The DuckDB workarounds for GX 1.24.1 are still needed, and they work.

The unpatched checks run GX in a clean subprocess (this process may already be patched) and
fail with an explicit "remove ..." message as soon as upstream fixes the problem.
"""

from __future__ import annotations

import pytest

from sector_datasets.gate import duckdb_workaround
from sector_datasets.gate.duckdb_workaround import compound, upstream
from sector_datasets.gate.duckdb_workaround.marker import MARKER


@pytest.fixture(scope="module")
def unpatched() -> dict:
    return upstream.probe(patched=False)


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
    assert upstream.reflection_is_broken(), (
        "SQLAlchemy/duckdb-engine now reflect schema-qualified DuckDB tables: remove patch 2 "
        "(information_schema column reflection) from duckdb_workaround"
    )


def test_with_the_patch_the_metric_succeeds() -> None:
    patched = upstream.probe(patched=True)
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
        assert getattr(patched, MARKER)
        assert not getattr(patched.__wrapped__, MARKER, False)


# --------------------------------------------------------------------------- patch 4


def _compound_entry():
    from great_expectations.expectations.registry import _registered_metrics

    return _registered_metrics[compound.COMPOUND_METRIC]["providers"]["SqlAlchemyExecutionEngine"]


def test_compound_provider_is_wrapped_once() -> None:
    duckdb_workaround.apply()
    first = _compound_entry()[1]
    duckdb_workaround.apply()
    assert _compound_entry()[1] is first
    assert getattr(first, MARKER)
    assert not getattr(first.__wrapped__, MARKER, False)
    # GX reads these attributes of a provider to plan the metric: they must survive the wrap.
    assert first.metric_fn_type == first.__wrapped__.metric_fn_type


# (item_code, year, value): unique, duplicated, NULL in one key column, NULL in both, NaN values
_COMPOUND_CASES = {
    "unique": [("a", 2020, 1.0), ("a", 2021, 2.0), ("b", 2020, 3.0)],
    "duplicates": [("a", 2020, 1.0), ("a", 2020, 9.0), ("b", 2020, 3.0), ("c", 2021, 4.0), ("c", 2021, 5.0), ("c", 2021, 6.0)],
    "null_keys": [("a", None, 1.0), ("a", None, 2.0), (None, 2020, 3.0), (None, None, 4.0), (None, None, 5.0), ("b", 2020, 6.0)],
    "nulls_and_duplicates": [("a", 2020, 1.0), ("a", 2020, 2.0), ("a", None, 3.0), (None, None, 4.0), ("d", 2022, float("nan"))],
}


@pytest.mark.parametrize("case", sorted(_COMPOUND_CASES))
@pytest.mark.parametrize("ignore_row_if", ["all_values_are_missing", "any_value_is_missing", "never"])
def test_compound_uniqueness_verdict_is_gx_own_with_and_without_patch_4(tmp_path, case, ignore_row_if) -> None:
    """Field by field (success, counts, percentages, examples) the same verdict as GX's own join,
    in a real GX validation on a real DuckDB file."""
    import json

    import duckdb

    from sector_datasets.gate import validate_table

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE SCHEMA audit")
    con.execute("CREATE TABLE audit.t (item_code VARCHAR, year INTEGER, value DOUBLE)")
    con.executemany("INSERT INTO audit.t VALUES (?, ?, ?)", _COMPOUND_CASES[case])
    con.close()
    suite = tmp_path / "t.json"
    suite.write_text(json.dumps({"name": "t", "expectations": [
        {"type": "expect_compound_columns_to_be_unique",
         "kwargs": {"column_list": ["item_code", "year"], "ignore_row_if": ignore_row_if}},
        {"type": "expect_compound_columns_to_be_unique",
         "kwargs": {"column_list": ["item_code", "year", "value"], "ignore_row_if": ignore_row_if}},
    ]}))

    def verdict():
        v = validate_table(db, "audit", "t", suite, dataset_id="t", sector_id="s", run_id="r")
        return [r.to_dict() for r in v.results], v.success

    duckdb_workaround.apply()
    patched_fn = _compound_entry()[1]
    with_patch = verdict()
    from great_expectations.expectations.registry import _registered_metrics

    providers = _registered_metrics[compound.COMPOUND_METRIC]["providers"]
    providers["SqlAlchemyExecutionEngine"] = (providers["SqlAlchemyExecutionEngine"][0], patched_fn.__wrapped__)
    try:
        without_patch = verdict()
    finally:
        providers["SqlAlchemyExecutionEngine"] = (providers["SqlAlchemyExecutionEngine"][0], patched_fn)
    assert with_patch == without_patch
    assert all(r["exception"] is None for r in with_patch[0])
    if "duplicates" in case:  # rows with a NULL key are not compared, by GX (NULL = NULL is not true)
        assert not with_patch[1]
        assert all(r["unexpected_count"] and r["partial_unexpected_list"] for r in with_patch[0][:1])

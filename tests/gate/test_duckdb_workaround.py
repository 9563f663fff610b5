"""The DuckDB workarounds for GX 1.24.1 are still needed, and they work.

The unpatched checks run GX in a clean subprocess (this process may already be patched) and
fail with an explicit "remove ..." message as soon as upstream fixes the problem.
"""

from __future__ import annotations

import pytest

from sector_datasets.gate import duckdb_workaround
from sector_datasets.gate.duckdb_workaround import column_types, compound, median, upstream
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


# --------------------------------------------------------------------------- patches 4-6


@pytest.fixture
def gx_own(monkeypatch):
    """Call with a patch module to put GX's own provider of its metric back for the rest of the
    test (and keep validate_table's apply() from wrapping it again)."""
    from great_expectations.expectations.registry import _registered_metrics

    metrics = {compound: compound.COMPOUND_METRIC, column_types: column_types.COLUMN_TYPES_METRIC, median: median.MEDIAN_METRIC}

    def restore(patch_module) -> None:
        duckdb_workaround.apply()
        providers = _registered_metrics[metrics[patch_module]]["providers"]
        cls, patched = providers["SqlAlchemyExecutionEngine"]
        monkeypatch.setitem(providers, "SqlAlchemyExecutionEngine", (cls, patched.__wrapped__))
        monkeypatch.setattr(patch_module, "patch", lambda: None)
        assert not patch_module.is_patched()

    return restore


@pytest.mark.parametrize("metric", [compound.COMPOUND_METRIC, column_types.COLUMN_TYPES_METRIC, median.MEDIAN_METRIC])
def test_metric_provider_is_wrapped_once(metric: str) -> None:
    from great_expectations.expectations.registry import _registered_metrics

    def entry():
        return _registered_metrics[metric]["providers"]["SqlAlchemyExecutionEngine"][1]

    duckdb_workaround.apply()
    first = entry()
    duckdb_workaround.apply()
    assert entry() is first
    assert getattr(first, MARKER)
    assert not getattr(first.__wrapped__, MARKER, False)
    # GX reads these attributes of a provider to plan the metric: they must survive the wrap.
    assert first.metric_fn_type == first.__wrapped__.metric_fn_type


# (item_code, year, value): unique, duplicated, NULL in one key column, NULL in both, NaN values,
# keys that are equal but not byte-equal (-0.0 and 0.0, two NaN; text equal under a collation)
_COMPOUND_CASES = {
    "unique": [("a", 2020, 1.0), ("a", 2021, 2.0), ("b", 2020, 3.0)],
    "duplicates": [("a", 2020, 1.0), ("a", 2020, 9.0), ("b", 2020, 3.0), ("c", 2021, 4.0), ("c", 2021, 5.0), ("c", 2021, 6.0)],
    "null_keys": [("a", None, 1.0), ("a", None, 2.0), (None, 2020, 3.0), (None, None, 4.0), (None, None, 5.0), ("b", 2020, 6.0)],
    "nulls_and_duplicates": [("a", 2020, 1.0), ("a", 2020, 2.0), ("a", None, 3.0), (None, None, 4.0), ("d", 2022, float("nan"))],
    "signed_zero_and_nan_keys": [("a", 2020, 0.0), ("a", 2021, -0.0), ("a", 2021, 0.0), ("b", 2020, float("nan")),
                                 ("b", 2021, float("nan")), ("b", 2021, float("nan"))],
    "collated_keys": [("A", 2020, 1.0), ("a", 2020, 2.0), ("b", 2021, 3.0)],
}
_COMPOUND_COLUMNS = {"collated_keys": "item_code VARCHAR COLLATE NOCASE, year INTEGER, value DOUBLE"}


def _compound_verdict(tmp_path, case: str, ignore_row_if: str = "all_values_are_missing"):
    """(results as dicts, success) of two compound-uniqueness expectations on a table of ``case``."""
    import json

    import duckdb

    from sector_datasets.gate import validate_table

    db = tmp_path / f"{case}.duckdb"
    if not db.exists():
        con = duckdb.connect(str(db))
        con.execute("CREATE SCHEMA audit")
        con.execute(f"CREATE TABLE audit.t ({_COMPOUND_COLUMNS.get(case, 'item_code VARCHAR, year INTEGER, value DOUBLE')})")
        con.executemany("INSERT INTO audit.t VALUES (?, ?, ?)", _COMPOUND_CASES[case])
        con.close()
    suite = tmp_path / "t.json"
    suite.write_text(json.dumps({"name": "t", "expectations": [
        {"type": "expect_compound_columns_to_be_unique",
         "kwargs": {"column_list": ["item_code", "year"], "ignore_row_if": ignore_row_if}},
        {"type": "expect_compound_columns_to_be_unique",
         "kwargs": {"column_list": ["item_code", "year", "value"], "ignore_row_if": ignore_row_if}},
    ]}))
    v = validate_table(db, "audit", "t", suite, dataset_id="t", sector_id="s", run_id="r", key_columns=("item_code", "year"))
    return [r.to_dict() for r in v.results], v.success


@pytest.mark.parametrize("case", sorted(_COMPOUND_CASES))
@pytest.mark.parametrize("ignore_row_if", ["all_values_are_missing", "any_value_is_missing", "never"])
def test_compound_uniqueness_verdict_is_gx_own_with_and_without_patch_4(tmp_path, case, ignore_row_if, gx_own) -> None:
    """Field by field (success, counts, percentages, examples, failing keys) the same verdict as
    GX's own join, in a real GX validation on a real DuckDB file."""
    duckdb_workaround.apply()
    with_patch = _compound_verdict(tmp_path, case, ignore_row_if)
    gx_own(compound)
    without_patch = _compound_verdict(tmp_path, case, ignore_row_if)
    assert with_patch == without_patch
    assert all(r["exception"] is None for r in with_patch[0])
    if "duplicates" in case:  # rows with a NULL key are not compared, by GX (NULL = NULL is not true)
        assert not with_patch[1]
        assert all(r["unexpected_count"] and r["partial_unexpected_list"] for r in with_patch[0][:1])


@pytest.fixture
def hash_proofs(monkeypatch) -> list[bool]:
    """The answers of patch 4's uniqueness proof during the test."""
    answers: list[bool] = []
    prove = compound._keys_provably_unique

    def recording(*args, **kwargs):
        answers.append(prove(*args, **kwargs))
        return answers[-1]

    monkeypatch.setattr(compound, "_keys_provably_unique", recording)
    return answers


# One answer per expectation of the first pass (keys (item_code, year), then with value), then
# one per expectation that failed, asked again by the second pass for its examples.
@pytest.mark.parametrize(("case", "proved"), [
    ("unique", [True, True]),
    ("null_keys", [True, True]),  # rows with a NULL key are left out, the rest are unique
    ("duplicates", [False, True, False]),
    ("signed_zero_and_nan_keys", [False, False, False, False]),  # -0.0 = 0.0 and NaN = NaN: hashed alike
    ("collated_keys", [False, False, False]),  # 'A' = 'a' under NOCASE: never proved from raw hashes
])
def test_the_hash_proof_of_uniqueness_is_taken_only_when_it_holds(tmp_path, hash_proofs, case, proved) -> None:
    duckdb_workaround.apply()
    _compound_verdict(tmp_path, case)
    assert sorted(hash_proofs) == sorted(proved)


def test_the_hash_proof_in_parts_gives_the_same_verdicts(tmp_path, monkeypatch, hash_proofs) -> None:
    duckdb_workaround.apply()
    whole = {case: _compound_verdict(tmp_path, case) for case in ("unique", "duplicates")}
    monkeypatch.setattr(compound, "HASH_CHECK_MAX_ROWS", 2)  # 3 and 6 rows: 2 and 3 parts
    assert {case: _compound_verdict(tmp_path, case) for case in ("unique", "duplicates")} == whole
    assert sorted(hash_proofs) == sorted([True, True, False, True, False] * 2)


# --------------------------------------------------------------------------- patch 5


_SERIES_SUITE = {"name": "s", "expectations": [
    {"type": "expect_column_values_to_be_in_type_list", "kwargs": {"column": "year", "type_list": ["INTEGER"]}},
    {"type": "expect_column_values_to_be_of_type", "kwargs": {"column": "value", "type_": "DOUBLE"}},
    {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": ["series", "year", "value"], "exact_match": True}},
    *({"type": "expect_column_unique_value_count_to_be_between",
       "kwargs": {"column": "year", "min_value": 2, "row_condition": f'col("series")=="{code}"',
                  "condition_parser": "great_expectations"}} for code in ("A", "B", "C")),
    {"type": "expect_column_values_to_be_between",
     "kwargs": {"column": "value", "max_value": 5, "row_condition": 'col("series")=="B"', "condition_parser": "great_expectations"}},
]}


def _series_verdict(tmp_path):
    """(results as dicts, information_schema.columns queries) of a suite with row conditions."""
    import json

    import duckdb
    import sqlalchemy as sa

    from sector_datasets.gate import validate_table

    db = tmp_path / "s.duckdb"
    if not db.exists():
        con = duckdb.connect(str(db))
        con.execute("CREATE SCHEMA audit")
        con.execute("CREATE TABLE audit.s (series VARCHAR, year INTEGER, value DOUBLE)")
        con.execute("INSERT INTO audit.s VALUES ('A', 2020, 1), ('A', 2021, 2), ('B', 2020, 3), ('B', 2021, 9), ('C', 2020, 4)")
        con.close()
    (tmp_path / "s.json").write_text(json.dumps(_SERIES_SUITE))
    reflections = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "information_schema.columns" in statement:
            reflections.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        v = validate_table(db, "audit", "s", tmp_path / "s.json", dataset_id="s", sector_id="x", run_id="r")
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    return [r.to_dict() for r in v.results], len(reflections)


def test_column_types_are_reflected_once_per_batch_with_the_same_verdict(tmp_path, gx_own) -> None:
    duckdb_workaround.apply()
    with_patch, reflections = _series_verdict(tmp_path)
    assert reflections == 1  # both passes (series C and value of B failed) read the same batch
    assert [r["success"] for r in with_patch] == [True, True, True, True, True, False, False]
    gx_own(column_types)
    without_patch, unpatched_reflections = _series_verdict(tmp_path)
    assert without_patch == with_patch
    assert unpatched_reflections > reflections


# --------------------------------------------------------------------------- patch 6


# column type, values (None = NULL); the median GX reads from the middle of ORDER BY
_MEDIAN_CASES = {
    "double_even": ("DOUBLE", [3.5, None, 1.25, 9.0, 2.0, float("nan"), 7.75]),
    "double_odd": ("DOUBLE", [3.5, 1.25, 9.0, 2.0, 7.75, None, -4.0, 0.5]),
    "integer_even": ("INTEGER", [5, 1, 4, 2, 8, 8]),
    "decimal_odd": ("DECIMAL(9, 3)", [5.125, 1.5, 4.25, None, 2.0, 8.0]),
    "single_value": ("DOUBLE", [None, 42.0]),
    "zero_in_the_middle": ("DOUBLE", [-0.0, 0.0, -1.0, 2.0]),  # GX may read either sign: its own query
    "text": ("VARCHAR", ["b", "a", "c", "d"]),  # GX's arithmetic raises on text: its own message
}


def _median_verdict(tmp_path, case: str):
    import json
    import re

    import duckdb

    from sector_datasets.gate import validate_table

    db = tmp_path / f"m_{case}.duckdb"
    if not db.exists():
        column_type, values = _MEDIAN_CASES[case]
        con = duckdb.connect(str(db))
        con.execute("CREATE SCHEMA audit")
        con.execute(f"CREATE TABLE audit.m (grp VARCHAR, v {column_type})")
        con.executemany("INSERT INTO audit.m VALUES (?, ?)", [("x" if i % 3 else "y", v) for i, v in enumerate(values)])
        con.close()
    (tmp_path / "m.json").write_text(json.dumps({"name": "m", "expectations": [
        {"type": "expect_column_median_to_be_between", "kwargs": {"column": "v", "min_value": 2, "max_value": 4}},
        {"type": "expect_column_median_to_be_between",
         "kwargs": {"column": "v", "min_value": 0, "row_condition": 'col("grp")=="x"', "condition_parser": "great_expectations"}},
    ]}))
    v = validate_table(db, "audit", "m", tmp_path / "m.json", dataset_id="m", sector_id="s", run_id="r")
    # GX's messages can name an object by its address, which differs from run to run
    return [json.loads(re.sub(r"0x[0-9a-f]+", "0x…", json.dumps(r.to_dict()))) for r in v.results]


@pytest.mark.parametrize("case", sorted(_MEDIAN_CASES))
def test_median_is_gx_own_with_and_without_patch_6(tmp_path, monkeypatch, gx_own, case) -> None:
    answers: list[bool] = []
    middle = median._middle_values

    def recording(*args, **kwargs):
        values = middle(*args, **kwargs)
        answers.append(values is not None)
        return values

    monkeypatch.setattr(median, "_middle_values", recording)
    duckdb_workaround.apply()
    with_patch = _median_verdict(tmp_path, case)
    # the shortcut answered for the whole table unless a zero or text sits in the middle
    assert any(answers) == (case not in {"zero_in_the_middle", "text"})
    gx_own(median)
    assert _median_verdict(tmp_path, case) == with_patch
    whole_table, with_row_condition = with_patch
    assert (whole_table["exception"] is None) == (case != "text")
    # GX 1.24.1 on SQLAlchemy 2.1 cannot take a median under a row_condition ("FROM expression
    # ... expected, got Select"); the patch keeps that answer too
    assert "FROM expression" in with_row_condition["exception"]

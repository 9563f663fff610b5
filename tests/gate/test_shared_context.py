"""The gate reuses one GX context + datasource per process and connection: reuse must never
change a verdict (real DuckDB files, real Great Expectations)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from sector_datasets.gate import validate_table
from tests.gate.test_validate import IDS, SUITE, _assert_released, _build_warehouse, _write_suite


def test_a_table_rebuilt_in_the_same_process_is_validated_afresh(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    suite = _write_suite(tmp_path / "expectations")
    _build_warehouse(db)
    assert validate_table(db, "audit", "agri_crop_production", suite, **IDS).success
    _assert_released(db)

    db.unlink()
    _build_warehouse(db, inject_bad_rows=True)  # same file, same table name, other content
    verdict = validate_table(db, "audit", "agri_crop_production", suite, **IDS)
    assert not verdict.success and verdict.row_count == 41
    assert {r.label() for r in verdict.failures} == {
        "expect_column_values_to_be_unique(item_code)", "expect_column_values_to_be_between(value)"}


def test_two_warehouses_in_one_process_do_not_share_data(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.duckdb", tmp_path / "bad.duckdb"
    _build_warehouse(good)
    _build_warehouse(bad, inject_bad_rows=True)
    suite = _write_suite(tmp_path / "expectations")
    for _ in range(2):
        assert validate_table(good, "audit", "agri_crop_production", suite, **IDS).success
        assert not validate_table(bad, "audit", "agri_crop_production", suite, **IDS).success
    _assert_released(good)
    _assert_released(bad)


def test_examples_of_unexpected_values_are_kept_for_failing_and_for_tolerated_expectations(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    _build_warehouse(db, inject_bad_rows=True)
    suite = json.loads(json.dumps(SUITE))
    # passes thanks to `mostly` but still finds unexpected values: SUMMARY would list them
    suite["expectations"].append({"type": "expect_column_values_to_be_between",
                                  "kwargs": {"column": "value", "min_value": 0, "max_value": 300, "mostly": 0.5}})
    verdict = validate_table(db, "audit", "agri_crop_production", _write_suite(tmp_path / "e", suite), **IDS)

    by_label = {}
    for r in verdict.results:
        by_label.setdefault(r.label(), []).append(r)
    unique = by_label["expect_column_values_to_be_unique(item_code)"][0]
    assert not unique.success and unique.unexpected_count == 2 and unique.partial_unexpected_list == ["0027", "0027"]
    tolerated = by_label["expect_column_values_to_be_between(value)"][1]
    assert tolerated.success and tolerated.unexpected_count == 11 and len(tolerated.partial_unexpected_list) == 10
    passing = by_label["expect_column_values_to_not_be_null(item_code)"][0]
    assert passing.success and passing.unexpected_count == 0 and passing.partial_unexpected_list == []
    assert [r.type for r in verdict.results] == [e["type"] for e in suite["expectations"]]  # the file's order


def test_a_reader_elsewhere_is_not_held_after_the_gate(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    _build_warehouse(db)
    suite = _write_suite(tmp_path / "expectations")
    validate_table(db, "audit", "agri_crop_production", suite, **IDS)
    with duckdb.connect(str(db)) as writer:  # the next task of the process writes
        writer.execute("DELETE FROM audit.agri_crop_production WHERE item_code = '0001'")
    assert validate_table(db, "audit", "agri_crop_production", suite, **IDS).row_count == 39

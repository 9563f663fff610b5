"""Quality gate against a real DuckDB file with real Great Expectations (no mocks)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from sector_datasets.gate import GateVerdict, load_suite, validate_table
from sector_datasets.gate.suites import SuiteError
from sector_datasets.gate.validate import GateError

SUITE = {
    "name": "agri_crop_production",
    "meta": {"owner": "gate tests"},
    "expectations": [
        {"type": "expect_table_columns_to_match_set",
         "kwargs": {"column_set": ["item_code", "item", "year", "value"], "exact_match": True}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1, "max_value": 1000}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "item_code"},
         "meta": {"why": "one row per item"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "item_code"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "value"}},
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "value", "min_value": 0, "max_value": 500}},
        {"type": "expect_column_values_to_match_regex",
         "kwargs": {"column": "item_code", "regex": "^[0-9]{4}$"}},
    ],
}
N_EXPECTATIONS = len(SUITE["expectations"])
IDS = {"dataset_id": "agri_crop_production", "sector_id": "agriculture", "run_id": "manual__test"}


def _write_suite(directory: Path, suite: dict = SUITE) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{suite['name']}.json"
    path.write_text(json.dumps(suite, indent=2))
    return path


def _build_warehouse(path: Path, *, inject_bad_rows: bool = False) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute(
            """
            CREATE OR REPLACE TABLE audit.agri_crop_production AS
            SELECT lpad(CAST(i AS VARCHAR), 4, '0') AS item_code,
                   'item ' || i AS item,
                   2020 + i % 3 AS year,
                   CAST(i * 10 AS DECIMAL(18, 2)) AS value
            FROM range(1, 41) AS t(i)
            """
        )
        if inject_bad_rows:
            # One duplicate key (0027) and one out-of-range value (9999.50).
            con.execute("INSERT INTO audit.agri_crop_production VALUES ('0027', 'dup', 2021, 12.5)")
            con.execute("UPDATE audit.agri_crop_production SET value = 9999.50 WHERE item_code = '0013'")
    finally:
        con.close()


@pytest.fixture()
def suite_path(tmp_path: Path) -> Path:
    return _write_suite(tmp_path / "expectations")


@pytest.fixture()
def good_db(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    _build_warehouse(path)
    return path


@pytest.fixture()
def bad_db(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    _build_warehouse(path, inject_bad_rows=True)
    return path


def _assert_released(db: Path) -> None:
    """The file can be opened read-write in this process: no GX engine still holds it."""
    con = duckdb.connect(str(db))
    try:
        con.execute("CREATE TABLE IF NOT EXISTS audit.after_gate AS SELECT 1 AS x")
        assert con.execute("SELECT count(*) FROM audit.after_gate").fetchone() == (1,)
    finally:
        con.close()


def test_passing_table(good_db: Path, suite_path: Path) -> None:
    verdict = validate_table(good_db, "audit", "agri_crop_production", suite_path, **IDS)

    assert verdict.success, verdict.failure_summary()
    assert verdict.error is None
    assert (verdict.evaluated, verdict.failed) == (N_EXPECTATIONS, 0)
    assert verdict.row_count == 40
    assert verdict.suite_name == "agri_crop_production"
    assert verdict.table == "audit.agri_crop_production"
    assert (verdict.dataset_id, verdict.sector_id, verdict.run_id) == (
        "agri_crop_production", "agriculture", "manual__test")
    assert [r.type for r in verdict.results] == [e["type"] for e in SUITE["expectations"]]
    assert all(r.success and r.exception is None for r in verdict.results)
    by_type = {r.type: r for r in verdict.results}
    assert by_type["expect_table_row_count_to_be_between"].observed_value == 40
    assert by_type["expect_column_values_to_be_unique"].column == "item_code"
    assert by_type["expect_column_values_to_be_unique"].unexpected_count == 0
    assert "batch_id" not in by_type["expect_column_values_to_be_unique"].kwargs
    assert verdict.duration_s >= 0 and verdict.started_at.endswith("+00:00")
    assert "gate passed" in verdict.failure_summary()
    _assert_released(good_db)


def test_duplicate_key_and_out_of_range_value_fail_exactly_those(bad_db: Path, suite_path: Path) -> None:
    verdict = validate_table(bad_db, "audit", "agri_crop_production", suite_path, **IDS)

    assert not verdict.success
    assert verdict.error is None
    assert verdict.row_count == 41
    assert (verdict.evaluated, verdict.failed) == (N_EXPECTATIONS, 2)
    failed = {(r.type, r.column): r for r in verdict.results if not r.success}
    assert set(failed) == {
        ("expect_column_values_to_be_unique", "item_code"),
        ("expect_column_values_to_be_between", "value"),
    }
    unique = failed[("expect_column_values_to_be_unique", "item_code")]
    assert unique.unexpected_count == 2  # both rows carrying the duplicated key
    assert unique.partial_unexpected_list == ["0027", "0027"]
    between = failed[("expect_column_values_to_be_between", "value")]
    assert between.unexpected_count == 1
    assert between.partial_unexpected_list == [9999.5]
    assert between.unexpected_percent == pytest.approx(100 / 41)

    summary = verdict.failure_summary()
    assert "sector 'agriculture'" in summary
    assert "dataset 'agri_crop_production'" in summary
    assert "suite agri_crop_production" in summary
    assert "2 of 7 expectations failed" in summary
    assert "expect_column_values_to_be_unique(item_code) 2 unexpected" in summary
    assert "'0027'" in summary
    assert "expect_column_values_to_be_between(value) 1 unexpected" in summary
    assert "9999.5" in summary
    assert "not_be_null" not in summary and "match_regex" not in summary
    _assert_released(bad_db)


def test_the_failing_rows_are_named_by_the_primary_key_when_the_gate_is_given_it(bad_db: Path, suite_path: Path) -> None:
    keyed = validate_table(bad_db, "audit", "agri_crop_production", suite_path, **IDS, key_columns=("item_code", "year"))
    failed = {r.type: r for r in keyed.results if not r.success}
    # GX's unexpected_index_column_names: the key columns (and the checked column) of each failing row
    assert failed["expect_column_values_to_be_between"].unexpected_rows == [{"item_code": "0013", "year": 2021, "value": 9999.5}]
    duplicates = failed["expect_column_values_to_be_unique"].unexpected_rows  # 0027 of 2020 and the injected 0027 of 2021
    assert sorted((r["item_code"], r["year"]) for r in duplicates) == [("0027", 2020), ("0027", 2021)]
    assert all(r.unexpected_rows == [] for r in keyed.results if r.success)
    unkeyed = validate_table(bad_db, "audit", "agri_crop_production", suite_path, **IDS)
    # the verdict is the same either way: the key only names the rows
    assert [(r.type, r.success, r.unexpected_count) for r in keyed.results] == [(r.type, r.success, r.unexpected_count) for r in unkeyed.results]
    assert all(r.unexpected_rows == [] for r in unkeyed.results)
    _assert_released(bad_db)


def test_missing_table_gives_failed_verdict_with_message(good_db: Path, suite_path: Path) -> None:
    verdict = validate_table(good_db, "audit", "no_such_table", suite_path, **IDS)

    assert not verdict.success
    assert verdict.evaluated == 0 and verdict.results == ()
    assert verdict.row_count is None
    assert "table audit.no_such_table not found" in verdict.error
    assert "agri_crop_production" in verdict.error  # lists what the schema does have
    assert verdict.error in verdict.failure_summary()
    assert "sector 'agriculture'" in verdict.failure_summary()
    _assert_released(good_db)


def test_missing_warehouse_file_gives_failed_verdict(tmp_path: Path, suite_path: Path) -> None:
    verdict = validate_table(tmp_path / "absent.duckdb", "audit", "t", suite_path, **IDS)
    assert not verdict.success
    assert "warehouse file" in verdict.error and "not found" in verdict.error


def test_missing_suite_gives_failed_verdict_naming_the_file(good_db: Path, tmp_path: Path) -> None:
    missing = tmp_path / "expectations" / "nope.json"
    verdict = validate_table(good_db, "audit", "agri_crop_production", missing, **IDS)
    assert not verdict.success
    assert verdict.suite_name == "nope"
    assert str(missing) in verdict.error and "file not found" in verdict.error


def test_expectation_that_raises_counts_as_failed(good_db: Path, tmp_path: Path) -> None:
    suite = {
        "name": "raising",
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "item_code"}},
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "no_such_column"}},
        ],
    }
    path = _write_suite(tmp_path / "expectations", suite)
    verdict = validate_table(good_db, "audit", "agri_crop_production", path, **IDS)

    assert not verdict.success
    assert (verdict.evaluated, verdict.failed) == (2, 1)
    raised = verdict.results[1]
    assert raised.column == "no_such_column" and not raised.success
    assert raised.exception and "no_such_column" in raised.exception
    assert "expect_column_values_to_not_be_null(no_such_column) raised" in verdict.failure_summary()
    _assert_released(good_db)


def test_database_open_read_write_in_process_raises_gate_error(good_db: Path, suite_path: Path) -> None:
    writer = duckdb.connect(str(good_db))  # same file, different settings, same process
    try:
        with pytest.raises(GateError, match="read-only"):
            validate_table(good_db, "audit", "agri_crop_production", suite_path, **IDS)
    finally:
        writer.close()
    _assert_released(good_db)


def test_verdict_round_trips_through_json(bad_db: Path, suite_path: Path) -> None:
    verdict = validate_table(bad_db, "audit", "agri_crop_production", suite_path, **IDS)
    text = json.dumps(verdict.to_dict())
    restored = GateVerdict.from_dict(json.loads(text))
    assert restored == verdict
    assert restored.failure_summary() == verdict.failure_summary()
    assert GateVerdict.from_json(verdict.to_json()) == verdict


# --------------------------------------------------------------------------------------------
# Suite files
# --------------------------------------------------------------------------------------------


def test_load_suite_builds_gx_suite(suite_path: Path) -> None:
    suite = load_suite(suite_path)
    assert suite.name == "agri_crop_production"
    assert [e.expectation_type for e in suite.expectations] == [e["type"] for e in SUITE["expectations"]]
    assert suite.expectations[2].meta == {"why": "one row per item"}
    assert suite.meta["owner"] == "gate tests"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON at line 1"),
        ('["a"]', "top level must be a JSON object"),
        (json.dumps({"name": "s", "expectations": [{"type": "expect_column_values_to_be_uniq",
                                                   "kwargs": {"column": "a"}}]}),
         "unknown expectation type 'expect_column_values_to_be_uniq'; did you mean "
         "expect_column_values_to_be_unique"),
        (json.dumps({"name": "s", "expectations": [{"expectation_type": "expect_column_values_to_be_unique",
                                                   "kwargs": {"column": "a"}}]}),
         "'expectation_type' is the GX 0.x spelling; GX 1.x calls it 'type'"),
        (json.dumps({"name": "s", "expectations": [{"type": "expect_column_values_to_be_between",
                                                   "kwargs": {"column": "a"}}]}),
         "min_value and max_value cannot both be None"),
        (json.dumps({"name": "s", "expectations": [{"type": "expect_column_values_to_be_unique",
                                                   "kwargs": {"column": "a", "colum": "b"}}]}),
         "extra fields not permitted"),
        (json.dumps({"name": "other", "expectations": []}), "does not match the file name"),
        (json.dumps({"name": "s", "expectations": []}), "'expectations' is empty"),
        (json.dumps({"name": "s", "expectations": [], "data_asset_type": None}), "GX 0.x key"),
    ],
)
def test_invalid_suite_files_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(content)
    with pytest.raises(SuiteError) as info:
        load_suite(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_suite_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="absent.json: file not found"):
        load_suite(tmp_path / "absent.json")


def test_a_compound_row_condition_is_refused_because_gx_would_apply_only_its_first_clause(tmp_path):
    import json

    from sector_datasets.gate.suites import SuiteError, load_suite

    path = tmp_path / "compound.json"
    path.write_text(json.dumps({
        "name": "compound",
        "expectations": [{
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "v", "min_value": 0, "max_value": 1, "condition_parser": "great_expectations",
                       "row_condition": 'col("unit")=="USD" & col("year")>=2000'},
        }],
    }))
    with pytest.raises(SuiteError, match="compound row_condition"):
        load_suite(path)


def test_and_or_inside_a_quoted_value_is_not_a_compound_condition(tmp_path):
    import json

    from sector_datasets.gate.suites import load_suite

    path = tmp_path / "quoted.json"
    path.write_text(json.dumps({
        "name": "quoted",
        "expectations": [{
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "v", "min_value": 0, "max_value": 100, "condition_parser": "great_expectations",
                       "row_condition": 'col("unit")=="% of population ages 25 and older"'},
        }],
    }))
    assert load_suite(path).name == "quoted"


def test_every_committed_suite_loads():
    from sector_datasets.gate.suites import load_suite
    from sector_datasets.settings import REPO_ROOT

    suites = sorted((REPO_ROOT / "expectations").glob("*.json"))
    assert len(suites) >= 40
    for path in suites:
        assert load_suite(path).name == path.stem

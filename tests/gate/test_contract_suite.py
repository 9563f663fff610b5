"""The gate's baseline expectations generated from the contract (gate.contract_suite), run with
real Great Expectations on real World Bank data in DuckDB and PostgreSQL (no mocks)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import duckdb
import pytest

from sector_datasets.gate.contract_suite import (
    baseline_expectations,
    combined_suite,
    load_dataset_suite,
    series_condition,
    type_names,
)
from sector_datasets.gate.outcomes import condition_text
from sector_datasets.gate.suites import SuiteError
from sector_datasets.gate.validate import validate_table
from sector_datasets.registry import load_registry
from sector_datasets.settings import DEFAULT_PG_DSN
from tests.helpers import REPO_ROOT, SNAPSHOT_DIR

DATASET = "health_mortality_indicators"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
WB_FILES = {  # the three World Bank snapshots the dataset is built from
    "SP.DYN.IMRT.IN": ("wb_who_infant_mortality.json", "Tỷ suất chết trẻ em dưới 1 tuổi", "per 1,000 live births"),
    "SH.DYN.MORT": ("wb_who_under5_mortality.json", "Tỷ suất chết trẻ em dưới 5 tuổi", "per 1,000 live births"),
    "SP.DYN.LE00.IN": ("wb_who_life_expectancy.json", "Tuổi thọ trung bình tính từ lúc sinh", "years"),
}
COLUMNS_SQL = {"indicator_code": "VARCHAR", "indicator_name_en": "VARCHAR", "indicator_name_vi": "VARCHAR",
               "unit": "VARCHAR", "year": "INTEGER", "value": "DOUBLE"}
IDS = {"dataset_id": DATASET, "sector_id": "health", "run_id": "manual__contract_suite"}


@pytest.fixture(scope="module")
def dataset():
    _, ds = load_registry(REPO_ROOT / "include" / "sectors").dataset(DATASET)
    return ds


@pytest.fixture(scope="module")
def rows() -> list[tuple]:
    """The dataset's rows from the real World Bank snapshots (published years only)."""
    out = []
    for code, (name, name_vi, unit) in WB_FILES.items():
        path = SNAPSHOT_DIR / "health" / "worldbank_api_v2" / name
        if not path.is_file():
            pytest.skip(f"real snapshot {path} not available")
        for rec in json.loads(path.read_text(encoding="utf-8"))[1]:
            if rec["value"] is not None:
                out.append((code, rec["indicator"]["value"], name_vi, unit, int(rec["date"]), float(rec["value"])))
    return out


def _warehouse(path: Path, rows: list[tuple], types: dict[str, str] = COLUMNS_SQL) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA audit")
        con.execute(f"CREATE TABLE audit.{DATASET} ({', '.join(f'{c} {t}' for c, t in types.items())})")
        con.executemany(f"INSERT INTO audit.{DATASET} VALUES (?, ?, ?, ?, ?, ?)", rows)
    finally:
        con.close()
    return path


def _is_coverage(outcome) -> bool:
    return outcome.type == "expect_column_distinct_values_to_contain_set" or (
        outcome.type == "expect_column_unique_value_count_to_be_between" and "row_condition" in outcome.kwargs
    )


def test_baseline_states_the_promised_coverage(dataset) -> None:
    baseline = baseline_expectations(dataset, "duckdb")
    assert all(e["meta"]["origin"] == "contract" and e["meta"]["why"] and e["meta"]["why_vi"] for e in baseline)
    by_type: dict[str, list[dict]] = {}
    for e in baseline:
        by_type.setdefault(e["type"], []).append(e["kwargs"])
    assert by_type["expect_column_distinct_values_to_contain_set"] == [
        {"column": "indicator_code", "value_set": ["SH.DYN.MORT", "SP.DYN.IMRT.IN", "SP.DYN.LE00.IN"]}]
    periods = {k["row_condition"]: k["min_value"] for k in by_type["expect_column_unique_value_count_to_be_between"]}
    assert periods == {'col("indicator_code")=="SH.DYN.MORT"': 60, 'col("indicator_code")=="SP.DYN.IMRT.IN"': 60,
                       'col("indicator_code")=="SP.DYN.LE00.IN"': 64}
    assert by_type["expect_table_row_count_to_be_between"] == [{"min_value": 120}]
    assert by_type["expect_compound_columns_to_be_unique"] == [{"column_list": ["indicator_code", "year"]}]
    assert {k["column"] for k in by_type["expect_column_values_to_not_be_null"]} == set(COLUMNS_SQL)
    in_set = {k["column"]: k["value_set"] for k in by_type["expect_column_values_to_be_in_set"]}
    assert in_set == {"unit": ["per 1,000 live births", "years"],
                      "indicator_code": ["SH.DYN.MORT", "SP.DYN.IMRT.IN", "SP.DYN.LE00.IN"]}
    assert by_type["expect_table_columns_to_match_set"] == [{"column_set": list(COLUMNS_SQL), "exact_match": True}]


def test_real_table_passes_baseline_and_rule_file(dataset, rows, tmp_path: Path) -> None:
    db = _warehouse(tmp_path / "w.duckdb", rows)
    suite = load_dataset_suite(dataset, EXPECTATIONS_DIR, "duckdb")
    verdict = validate_table(db, "audit", DATASET, suite, **IDS)
    assert verdict.success, verdict.failure_summary()
    assert verdict.evaluated == len(baseline_expectations(dataset, "duckdb")) + len(
        json.loads((EXPECTATIONS_DIR / f"{DATASET}.json").read_text())["expectations"])


def test_one_series_removed_fails_exactly_the_coverage_checks(dataset, rows, tmp_path: Path) -> None:
    kept = [r for r in rows if r[0] != "SP.DYN.LE00.IN"]
    assert len(kept) >= 120  # the row floor alone would not notice
    db = _warehouse(tmp_path / "w.duckdb", kept)
    verdict = validate_table(db, "audit", DATASET, load_dataset_suite(dataset, EXPECTATIONS_DIR, "duckdb"), **IDS)
    failed = verdict.failures
    assert [f.type for f in failed] and all(_is_coverage(f) for f in failed), verdict.failure_summary()
    conditions = {condition_text(f.kwargs["row_condition"]) if "row_condition" in f.kwargs else None for f in failed}
    assert conditions == {None, 'col("indicator_code")=="SP.DYN.LE00.IN"'}
    summary = verdict.failure_summary()
    assert "missing 1 promised value(s) of indicator_code: ['SP.DYN.LE00.IN']" in summary
    assert 'only 0 distinct year values where col("indicator_code")=="SP.DYN.LE00.IN", promised at least 64' in summary


def test_too_few_periods_of_one_series_is_named(dataset, rows, tmp_path: Path) -> None:
    kept = [r for r in rows if not (r[0] == "SH.DYN.MORT" and r[4] < 1970)]
    db = _warehouse(tmp_path / "w.duckdb", kept)
    verdict = validate_table(db, "audit", DATASET, load_dataset_suite(dataset, EXPECTATIONS_DIR, "duckdb"), **IDS)
    assert [condition_text(f.kwargs.get("row_condition")) for f in verdict.failures] == [
        'col("indicator_code")=="SH.DYN.MORT"'], verdict.failure_summary()
    assert "promised at least 60" in verdict.failure_summary()


def test_retyped_column_fails_its_type_expectation(dataset, rows, tmp_path: Path) -> None:
    db = _warehouse(tmp_path / "w.duckdb", rows, {**COLUMNS_SQL, "value": "DECIMAL(12, 3)"})
    verdict = validate_table(db, "audit", DATASET, load_dataset_suite(dataset, EXPECTATIONS_DIR, "duckdb"), **IDS)
    assert [(f.type, f.column, f.observed_value) for f in verdict.failures] == [
        ("expect_column_values_to_be_in_type_list", "value", "DECIMAL")], verdict.failure_summary()


def test_duckdb_type_lists_accept_every_contract_type_and_nothing_else(tmp_path: Path) -> None:
    kinds = {"text": ["VARCHAR", "TEXT"], "integer": ["INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"],
             "double": ["DOUBLE", "FLOAT"], "decimal": ["DECIMAL(9, 6)"], "boolean": ["BOOLEAN"],
             "date": ["DATE"], "timestamp": ["TIMESTAMP", "TIMESTAMPTZ"]}
    columns = {f"c_{kind}_{i}": sql for kind, sqls in kinds.items() for i, sql in enumerate(sqls)}
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE SCHEMA audit")
    con.execute(f"CREATE TABLE audit.t ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    con.close()
    suite = {"name": "t", "expectations": [
        {"type": "expect_column_values_to_be_in_type_list", "kwargs": {"column": c, "type_list": type_names(kind, "duckdb")}}
        for c in columns for kind in kinds]}
    (tmp_path / "t.json").write_text(json.dumps(suite))
    verdict = validate_table(tmp_path / "w.duckdb", "audit", "t", tmp_path / "t.json", **IDS)
    accepted = {(r.column, r.kwargs["type_list"][0]) for r in verdict.results if r.success}
    assert accepted == {(c, type_names(c.split("_")[1], "duckdb")[0]) for c in columns}


def test_rule_file_is_optional(dataset, tmp_path: Path) -> None:
    data, path = combined_suite(dataset, tmp_path, "duckdb")
    assert path == tmp_path / f"{DATASET}.json" and data["expectations"] == baseline_expectations(dataset, "duckdb")
    path.write_text(json.dumps({"name": DATASET, "expectations": []}))
    assert len(load_dataset_suite(dataset, tmp_path, "duckdb").expectations) == len(data["expectations"])
    path.write_text(json.dumps({"name": DATASET, "expectations": [{"type": "expect_nothing"}]}))
    with pytest.raises(SuiteError, match=f"{DATASET}.json.*unknown expectation type 'expect_nothing'"):
        load_dataset_suite(dataset, tmp_path, "duckdb")


def test_series_codes_in_row_conditions() -> None:
    assert series_condition("d", "code", "SP.DYN.LE00.IN") == 'col("code")=="SP.DYN.LE00.IN"'
    # '&' and 'and' inside the quotes are a value, not a compound condition (suites.py guard).
    from sector_datasets.gate.suites import build_suite
    kwargs = {"column": "year", "min_value": 2, "row_condition": series_condition("d", "code", "R&D and more"),
              "condition_parser": "great_expectations"}
    build_suite(Path("d.json"), {"name": "d", "expectations": [
        {"type": "expect_column_unique_value_count_to_be_between", "kwargs": kwargs}]})
    for bad in ('say "hi"', "it's", "Hà Nội"):
        with pytest.raises(ValueError, match="dataset 'd': series code .* cannot be written as a GX row_condition"):
            series_condition("d", "code", bad)


def test_postgres_type_lists_accept_a_real_pg_table(dataset, rows) -> None:
    psycopg2 = pytest.importorskip("psycopg2")
    dsn = DEFAULT_PG_DSN.rsplit("/", 1)[0] + "/postgres"
    try:
        con = psycopg2.connect(dsn, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {dsn}: {exc}")
    schema = f"gate_contract_{uuid.uuid4().hex[:8]}"
    pg = {"VARCHAR": "TEXT", "INTEGER": "INTEGER", "DOUBLE": "DOUBLE PRECISION"}
    extra = {"c_text": "VARCHAR", "c_bigint": "BIGINT", "c_sum": "NUMERIC(38, 0)", "c_decimal": "NUMERIC(9, 6)",
             "c_real": "REAL", "c_bool": "BOOLEAN", "c_date": "DATE", "c_ts": "TIMESTAMP", "c_tstz": "TIMESTAMPTZ"}
    kinds = {"c_text": "text", "c_bigint": "integer", "c_sum": "integer", "c_decimal": "decimal", "c_real": "double",
             "c_bool": "boolean", "c_date": "date", "c_ts": "timestamp", "c_tstz": "timestamp"}
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {schema}")
            cur.execute(f"CREATE TABLE {schema}.{DATASET} ({', '.join(f'{c} {pg[t]}' for c, t in COLUMNS_SQL.items())})")
            cur.executemany(f"INSERT INTO {schema}.{DATASET} VALUES (%s, %s, %s, %s, %s, %s)", rows)
            cur.execute(f"CREATE TABLE {schema}.all_types ({', '.join(f'{c} {t}' for c, t in extra.items())})")
        suite = load_dataset_suite(dataset, EXPECTATIONS_DIR, "postgres")
        verdict = validate_table(dsn, schema, DATASET, suite, **IDS)
        assert verdict.success, verdict.failure_summary()
        from great_expectations.core import ExpectationSuite
        from great_expectations.expectations import ExpectColumnValuesToBeInTypeList

        wrong = {"c_decimal": "double", "c_real": "decimal", "c_date": "timestamp", "c_text": "integer"}
        checks = [ExpectColumnValuesToBeInTypeList(column=c, type_list=type_names(k, "postgres")) for c, k in kinds.items()]
        checks += [ExpectColumnValuesToBeInTypeList(column=c, type_list=type_names(k, "postgres")) for c, k in wrong.items()]
        verdict = validate_table(dsn, schema, "all_types", ExpectationSuite(name="all_types", expectations=checks), **IDS)
        assert [r.success for r in verdict.results] == [True] * len(kinds) + [False] * len(wrong), verdict.failure_summary()
    finally:
        with con.cursor() as cur:
            cur.execute(f"DROP SCHEMA {schema} CASCADE")
        con.close()

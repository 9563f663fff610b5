"""A fact about a dataset is stated once: what its contract says (and so the gate's generated
baseline, gate.contract_suite) must not be repeated in its rule file expectations/<suite>.json.

Repeated facts drift apart: a column added to the contract but not to a hand-written column set
fails the gate for no reason, a code list changed in one place only lets bad codes through.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sector_datasets.registry import Dataset, load_registry
from tests.helpers import REPO_ROOT

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
REGISTRY = load_registry(REPO_ROOT / "include" / "sectors")
DATASETS = {ds.id: ds for _, ds in (REGISTRY.dataset(i) for i in REGISTRY.datasets)}


def _whole_table(kwargs: dict) -> bool:
    """Applies to every row (no row_condition, no ``mostly`` below 1), as the contract does."""
    mostly = kwargs.get("mostly")
    return not kwargs.get("row_condition") and (mostly is None or float(mostly) >= 1.0)


def stated_twice(dataset: Dataset, rules: list[dict]) -> list[str]:
    """Each expectation of ``rules`` that repeats what ``dataset``'s contract already states."""
    columns = {c.name: c for c in dataset.columns}
    promise = dataset.promise
    closed = {c.name for c in dataset.columns if c.values is not None}
    if promise.exhaustive and promise.series_column:
        closed.add(promise.series_column)
    unique_alone = {c.name for c in dataset.columns if c.unique}
    if len(dataset.primary_key) == 1:
        unique_alone.add(dataset.primary_key[0])
    found = []
    for index, rule in enumerate(rules):
        kind, kwargs = rule.get("type"), rule.get("kwargs") or {}
        column = kwargs.get("column")
        where = f"expectation #{index + 1} {kind}({column or kwargs.get('column_list') or ''})"
        if kind in ("expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list"):
            found.append(f"{where}: the column set is the contract's columns")
        elif kind == "expect_table_row_count_to_be_between" and kwargs.get("min_value") is not None:
            found.append(f"{where}: the row-count minimum is promise.min_rows")
        elif not _whole_table(kwargs):
            continue
        elif kind in ("expect_compound_columns_to_be_unique", "expect_select_column_values_to_be_unique_within_record") \
                and set(kwargs.get("column_list") or []) == set(dataset.primary_key):
            found.append(f"{where}: the key is the contract's primary_key")
        elif kind == "expect_column_values_to_be_unique" and column in unique_alone:
            found.append(f"{where}: uniqueness of {column} is in the contract (key or unique: true)")
        elif kind == "expect_column_values_to_not_be_null" and column in columns and not columns[column].nullable:
            found.append(f"{where}: {column} is not nullable in the contract")
        elif kind == "expect_column_values_to_be_in_set" and column in closed:
            found.append(f"{where}: {column}'s values are listed in the contract")
    return found


def _rules(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("expectations") or []


@pytest.mark.parametrize("dataset_id", sorted(DATASETS))
def test_rule_file_does_not_repeat_the_contract(dataset_id: str) -> None:
    dataset = DATASETS[dataset_id]
    path = EXPECTATIONS_DIR / f"{dataset.suite_name}.json"
    if not path.exists():
        return  # no rule file: the contract's baseline is the whole gate
    repeated = stated_twice(dataset, _rules(path))
    assert not repeated, f"{path.relative_to(REPO_ROOT)} repeats dataset {dataset_id}'s contract: " + "; ".join(repeated)


def test_every_rule_file_belongs_to_a_dataset() -> None:
    suites = {ds.suite_name for ds in DATASETS.values()}
    orphans = sorted(p.name for p in EXPECTATIONS_DIR.glob("*.json") if p.stem not in suites)
    assert not orphans, f"rule files for no dataset of include/sectors: {', '.join(orphans)}"


@pytest.mark.parametrize(
    "duplicate",
    [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "year"}},
        {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["year", "indicator_code"]}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "unit", "value_set": ["years"]}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "indicator_code", "value_set": ["SH.DYN.MORT"]}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 100, "max_value": 300}},
        {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": ["year"], "exact_match": False}},
    ],
    ids=["not_null", "key", "values", "exhaustive_series", "row_floor", "column_set"],
)
def test_a_duplicated_rule_is_detected(duplicate: dict, tmp_path: Path) -> None:
    dataset = DATASETS["health_mortality_indicators"]
    copy = tmp_path / f"{dataset.suite_name}.json"
    shutil.copy(EXPECTATIONS_DIR / copy.name, copy)
    data = json.loads(copy.read_text(encoding="utf-8"))
    assert not stated_twice(dataset, data["expectations"])
    data["expectations"].append(duplicate)
    copy.write_text(json.dumps(data), encoding="utf-8")
    found = stated_twice(dataset, _rules(copy))
    assert len(found) == 1 and found[0].startswith(f"expectation #{len(data['expectations'])} {duplicate['type']}")


def test_conditional_or_partial_rules_are_not_duplicates() -> None:
    dataset = DATASETS["health_mortality_indicators"]
    rules = [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "value", "mostly": 0.9}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {
            "column": "unit", "value_set": ["years"], "row_condition": 'col("indicator_code")=="SP.DYN.LE00.IN"',
            "condition_parser": "great_expectations"}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"max_value": 300}},
    ]
    assert stated_twice(dataset, rules) == []

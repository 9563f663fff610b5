"""The gate's baseline expectations, generated from each dataset's contract (issue 14).

A dataset's contract (:mod:`sector_datasets.registry.contract`) says which columns it has and
of which type, its key, which columns may be NULL, the closed value sets, and the coverage it
promises (series, periods, geographic units, a row floor). :func:`baseline_expectations`
turns each of those facts into one Great Expectations expectation in the rule-file JSON shape
(:mod:`.suites`), each with ``meta.why``/``meta.why_vi`` and ``meta.origin = "contract"``, so
the rule file ``expectations/<suite>.json`` keeps only what a contract cannot say (ranges,
cross-column rules). :func:`load_dataset_suite` validates baseline + rule file with the same
checks as a rule file alone and returns one GX suite.

Type names: GX compares a column's type differently per dialect (GX 1.24
``type_comparison.compare_column_type_list``). On DuckDB (through our reflection workaround,
:mod:`.duckdb_workaround.reflection`) it resolves each listed name to a SQLAlchemy class and
tests ``isinstance``; names the dialect module does not export (HUGEINT, TINYINT) are silently
ignored, so the SQLAlchemy base classes ``Integer``/``String``/``Float`` carry those. On
PostgreSQL it compares ``str(type)`` case-insensitively, precision included
(``NUMERIC(9, 6)``), so the lists spell out every precision the contract type allows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sector_datasets.gate.suites import SuiteError, build_suite, read_rule_file, suite_path

if TYPE_CHECKING:
    from great_expectations.core.expectation_suite import ExpectationSuite

    from sector_datasets.registry import Dataset

__all__ = ["ORIGIN", "baseline_expectations", "combined_suite", "load_dataset_suite", "type_names"]

ORIGIN = "contract"
DIALECTS = ("duckdb", "postgres")
_MAX_PRECISION = 38  # DuckDB's DECIMAL limit; the PG warehouse mirrors DuckDB's types

_DUCKDB_TYPES: dict[str, list[str]] = {
    "text": ["VARCHAR", "String"],
    # "Integer" is SQLAlchemy's base class: it carries HUGEINT/TINYINT/UBIGINT, which the
    # DuckDB dialect module does not export by name (measured: only "Integer" matched them).
    "integer": ["INTEGER", "BIGINT", "SMALLINT", "Integer"],
    "double": ["DOUBLE", "FLOAT", "Float"],
    # Not "Numeric": GX then adds Float, and a double column would pass as decimal.
    "decimal": ["DECIMAL", "NUMERIC"],
    "boolean": ["BOOLEAN"],
    "date": ["DATE"],
    "timestamp": ["TIMESTAMP", "DATETIME"],
}
_PG_TYPES: dict[str, list[str]] = {
    "text": ["TEXT", "VARCHAR", "CHARACTER VARYING"],
    # sum() of a BIGINT is an unscaled NUMERIC in PostgreSQL; NUMERIC(p, 0) still holds integers only.
    "integer": ["INTEGER", "BIGINT", "SMALLINT"] + [f"NUMERIC({p}, 0)" for p in range(1, _MAX_PRECISION + 1)],
    "double": ["DOUBLE PRECISION", "REAL", "FLOAT"],
    "decimal": ["NUMERIC"] + [f"NUMERIC({p}, {s})" for p in range(1, _MAX_PRECISION + 1) for s in range(p + 1)],
    "boolean": ["BOOLEAN"],
    "date": ["DATE"],
    "timestamp": ["TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP"],
}
# What GX's "great_expectations" condition parser accepts inside a quoted value (GX 1.24
# legacy_row_conditions.condition_value): Latin-1 letters, digits, punctuation except quotes, blanks.
_CONDITION_VALUE = re.compile(r"^[ \t!#-&(-~\u00c0-\u00ff]+$")


def type_names(column_type: str, dialect: str) -> list[str]:
    """The type names GX accepts for a contract column type on ``dialect`` (duckdb or postgres)."""
    if dialect == "postgresql":
        dialect = "postgres"
    if dialect not in DIALECTS:
        raise ValueError(f"unknown warehouse dialect {dialect!r} (known: {', '.join(DIALECTS)})")
    return list((_DUCKDB_TYPES if dialect == "duckdb" else _PG_TYPES)[column_type])


def _rule(kind: str, kwargs: dict[str, Any], why: str, why_vi: str) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs, "meta": {"why": why, "why_vi": why_vi, "origin": ORIGIN}}


def series_condition(dataset_id: str, column: str, code: str) -> str:
    """``col("<column>")=="<code>"`` for GX's condition parser; a code it cannot parse is an error."""
    if not _CONDITION_VALUE.match(code):
        raise ValueError(
            f"dataset {dataset_id!r}: series code {code!r} of column {column!r} cannot be written as a GX "
            "row_condition (quotes or characters outside Latin-1); rename the code in the contract"
        )
    return f'col("{column}")=="{code}"'


def _column_rules(dataset: Dataset, dialect: str) -> list[dict[str, Any]]:
    names = [c.name for c in dataset.columns]
    out = [_rule(
        "expect_table_columns_to_match_set", {"column_set": names, "exact_match": True},
        "The contract lists every column; a missing, renamed or extra column changes what users get.",
        "Hợp đồng liệt kê mọi cột; thiếu, đổi tên hay thêm cột làm thay đổi dữ liệu người dùng nhận.",
    )]
    for col in dataset.columns:
        out.append(_rule(
            "expect_column_values_to_be_in_type_list",
            {"column": col.name, "type_list": type_names(col.type, dialect)},
            f"The contract declares {col.name} as {col.type}.",
            f"Hợp đồng khai báo cột {col.name} có kiểu {col.type}.",
        ))
    key = dataset.primary_key
    if len(key) == 1:
        out.append(_rule(
            "expect_column_values_to_be_unique", {"column": key[0]},
            f"{key[0]} is the key ({dataset.grain}).",
            f"{key[0]} là khoá (grain: {dataset.grain}).",
        ))
    else:
        out.append(_rule(
            "expect_compound_columns_to_be_unique", {"column_list": list(key)},
            f"({', '.join(key)}) is the key ({dataset.grain}).",
            f"({', '.join(key)}) là khoá (grain: {dataset.grain}).",
        ))
    for col in dataset.columns:
        if not col.nullable:
            out.append(_rule(
                "expect_column_values_to_not_be_null", {"column": col.name},
                f"The contract says {col.name} is never empty.",
                f"Hợp đồng quy định cột {col.name} không bao giờ trống.",
            ))
    promise = dataset.promise
    for col in dataset.columns:
        if col.values is not None:
            out.append(_rule(
                "expect_column_values_to_be_in_set", {"column": col.name, "value_set": list(col.values)},
                f"{col.name} takes only the values the contract lists; a new one is a contract change.",
                f"Cột {col.name} chỉ nhận các giá trị hợp đồng liệt kê; giá trị mới là thay đổi hợp đồng.",
            ))
        elif promise.exhaustive and col.name == promise.series_column:
            out.append(_rule(
                "expect_column_values_to_be_in_set", {"column": col.name, "value_set": list(promise.series)},
                f"The promised series are the only ones allowed in {col.name}; a new code is a contract change.",
                f"Chỉ các chuỗi đã cam kết được có trong cột {col.name}; mã mới là thay đổi hợp đồng.",
            ))
        if col.unique and key != [col.name]:
            out.append(_rule(
                "expect_column_values_to_be_unique", {"column": col.name},
                f"The contract says no two rows share a {col.name}.",
                f"Hợp đồng quy định không có hai dòng trùng {col.name}.",
            ))
    return out


def _coverage_rules(dataset: Dataset) -> list[dict[str, Any]]:
    promise = dataset.promise
    out = [_rule(
        "expect_table_row_count_to_be_between", {"min_value": promise.min_rows},
        f"The contract promises at least {promise.min_rows} rows; fewer means part of the data went missing.",
        f"Hợp đồng cam kết ít nhất {promise.min_rows} dòng; ít hơn nghĩa là mất một phần dữ liệu.",
    )]
    if promise.series_column:
        codes = list(promise.series)
        out.append(_rule(
            "expect_column_distinct_values_to_contain_set", {"column": promise.series_column, "value_set": codes},
            f"Every promised series ({', '.join(codes)}) must be present in {promise.series_column}.",
            f"Mọi chuỗi đã cam kết ({', '.join(codes)}) phải có trong cột {promise.series_column}.",
        ))
        for code, series in promise.series.items():
            if series.min_periods < 2:
                continue  # one period is already implied by the series being present at all
            out.append(_rule(
                "expect_column_unique_value_count_to_be_between",
                {"column": promise.period, "min_value": series.min_periods,
                 "row_condition": series_condition(dataset.id, promise.series_column, code),
                 "condition_parser": "great_expectations"},
                f"Series {code} promises at least {series.min_periods} distinct {promise.period} values.",
                f"Chuỗi {code} cam kết ít nhất {series.min_periods} giá trị {promise.period} khác nhau.",
            ))
    if promise.min_periods:
        out.append(_rule(
            "expect_column_unique_value_count_to_be_between",
            {"column": promise.period, "min_value": promise.min_periods},
            f"The dataset promises at least {promise.min_periods} distinct {promise.period} values.",
            f"Bộ dữ liệu cam kết ít nhất {promise.min_periods} giá trị {promise.period} khác nhau.",
        ))
    geo = promise.geography
    if geo.column and geo.min_units:
        out.append(_rule(
            "expect_column_unique_value_count_to_be_between", {"column": geo.column, "min_value": geo.min_units},
            f"The dataset covers {geo.text}: at least {geo.min_units} distinct {geo.column} values.",
            f"Bộ dữ liệu phủ {geo.text}: ít nhất {geo.min_units} giá trị {geo.column} khác nhau.",
        ))
    return out


def baseline_expectations(dataset: Dataset, dialect: str) -> list[dict[str, Any]]:
    """The expectations ``dataset``'s contract implies, in the rule-file JSON shape.

    ``dialect`` is the warehouse kind (``duckdb`` or ``postgres``); only the type lists differ.
    """
    return _column_rules(dataset, dialect) + _coverage_rules(dataset)


def combined_suite(dataset: Dataset, expectations_dir: Path, dialect: str) -> tuple[dict[str, Any], Path]:
    """The suite as JSON (baseline first, then the rule file's expectations) and the rule file's path.

    A missing rule file, or one with an empty ``expectations`` list, adds nothing; anything
    else wrong with it raises :class:`.SuiteError` naming the file.
    """
    path = suite_path(expectations_dir, dataset.suite_name)
    rules = read_rule_file(path, allow_empty=True) if path.exists() else None
    data = dict(rules or {"name": dataset.suite_name})
    data["expectations"] = baseline_expectations(dataset, dialect) + list((rules or {}).get("expectations") or [])
    return data, path


def load_dataset_suite(dataset: Dataset, expectations_dir: Path, dialect: str) -> ExpectationSuite:
    """Baseline + the optional rule file ``expectations/<dataset.suite_name>.json`` as one GX suite.

    Raises :class:`.SuiteError` naming the rule file (or, for the baseline, the dataset) when
    an expectation cannot be built.
    """
    try:
        data, path = combined_suite(dataset, expectations_dir, dialect)
    except ValueError as exc:  # an inexpressible series code
        if isinstance(exc, SuiteError):
            raise
        raise SuiteError(suite_path(expectations_dir, dataset.suite_name), str(exc)) from exc
    return build_suite(path, data)

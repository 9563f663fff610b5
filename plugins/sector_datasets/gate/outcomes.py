"""What a gate found: one :class:`ExpectationOutcome` per expectation, one :class:`GateVerdict` per run.

Small, frozen, JSON-serialisable records (:class:`~sector_datasets.records.JsonRecord`) that
travel through Airflow XCom, into the verdict files and ``quality.validation_results``, and into
the reports; plus the conversion of a Great Expectations result into an outcome, with values
made JSON-safe and the failure described in words a sector owner can act on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sector_datasets.records import JsonRecord

#: How many example offending values a result keeps (GX ``partial_unexpected_count``).
PARTIAL_UNEXPECTED_MAX = 10


# --------------------------------------------------------------------------------------------
# Verdict
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectationOutcome(JsonRecord):
    """The result of one expectation, reduced to JSON-safe values."""

    type: str
    column: str | None
    kwargs: dict[str, Any]
    success: bool
    observed_value: Any = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    partial_unexpected_list: list[Any] = field(default_factory=list)
    exception: str | None = None  # message when the expectation raised instead of evaluating
    # The primary key of failing rows ({"year": 2010, "value": 148.0}: key columns and the
    # checked column), from GX's partial_unexpected_index_list (validate.run_suite key_columns).
    unexpected_rows: list[dict[str, Any]] = field(default_factory=list)

    def label(self) -> str:
        """``expect_column_values_to_be_unique(item_code)``."""
        return f"{self.type}({self.column})" if self.column else self.type

    def describe(self) -> str:
        """One line for a human: what failed and how, with example offending values."""
        parts = [self.label()]
        expected = _expected_text(self.kwargs)
        coverage = None if self.exception or self.success else _coverage_text(self.kwargs, self.observed_value, self.type)
        if coverage:
            return f"{parts[0]} {coverage}"
        if self.exception:
            parts.append(f"raised {_first_line(self.exception)}")
        elif self.unexpected_count is not None:
            text = f"{self.unexpected_count} unexpected"
            if self.unexpected_percent is not None and self.unexpected_count:
                text += f" ({_pct(self.unexpected_percent)})"
            if self.partial_unexpected_list:
                text += f" e.g. {_short(self.partial_unexpected_list[:5])}"
            parts.append(text)
            if self.observed_value is not None:
                parts.append(f"observed {_short(self.observed_value)}")
        elif self.observed_value is not None:
            parts.append(f"observed {_short(self.observed_value)}")
        if expected and not self.exception:
            parts.append(f"expected {expected}")
        return " ".join(parts)


@dataclass(frozen=True)
class GateVerdict(JsonRecord):
    """Outcome of validating one dataset table against its suite (JSON-safe, XCom friendly)."""

    dataset_id: str
    sector_id: str
    run_id: str
    suite_name: str
    table: str  # "<schema>.<table>"
    success: bool
    evaluated: int
    failed: int
    row_count: int | None
    started_at: str  # ISO 8601, UTC
    duration_s: float
    results: tuple[ExpectationOutcome, ...] = ()
    error: str | None = None  # set when the gate could not evaluate the suite (e.g. no table)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GateVerdict:
        verdict = super().from_dict(data)
        # JSON holds the outcomes as a list of objects; the verdict holds them as records.
        return dataclasses.replace(verdict, results=tuple(ExpectationOutcome.from_dict(r) for r in verdict.results))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> GateVerdict:
        return cls.from_dict(json.loads(text))

    @property
    def failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(r for r in self.results if not r.success)

    def failure_summary(self) -> str:
        """Human summary naming sector, dataset, suite and every failed expectation with examples."""
        head = (
            f"gate {'passed' if self.success else 'failed'} for sector {self.sector_id!r} "
            f"dataset {self.dataset_id!r} (suite {self.suite_name}, table {self.table})"
        )
        if self.error:
            return f"{head}: {self.error}"
        if self.success:
            return f"{head}: all {self.evaluated} expectations passed on {self.row_count} rows"
        details = "; ".join(r.describe() for r in self.failures)
        return f"{head}: {self.failed} of {self.evaluated} expectations failed: {details}"


# --------------------------------------------------------------------------------------------
# JSON-safe conversion and formatting helpers
# --------------------------------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """Recursively turn a GX/DuckDB value into plain JSON types (lossless where it matters)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [json_safe(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            return json_safe(item())
        except (TypeError, ValueError):
            pass
    tolist = getattr(value, "tolist", None)  # numpy arrays
    if callable(tolist):
        return json_safe(tolist())
    if hasattr(value, "to_json_dict"):
        return json_safe(value.to_json_dict())
    return str(value)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:300]


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pct(value: float) -> str:
    return f"{value:.3g}%"


def condition_text(condition: Any) -> str:
    """A row condition as the rule file writes it (``col("unit")=="years"``). GX 1.24 turns the
    string into a comparison object, which results (and so the verdict JSON) carry as a dict."""
    if isinstance(condition, Mapping) and condition.get("type") == "comparison":
        name = (condition.get("column") or {}).get("name")
        value = condition.get("parameter")
        shown = f'"{value}"' if isinstance(value, str) else json.dumps(value)
        return f'col("{name}"){condition.get("operator")}{shown}'
    return str(condition)


def _coverage_text(kwargs: Mapping[str, Any], observed: Any, kind: str) -> str | None:
    """Plain words for a failed coverage or column-set check: which series, periods or columns
    are missing (GX reports only the observed set or count, and the list it was compared with)."""
    column = kwargs.get("column")
    if kind == "expect_column_distinct_values_to_contain_set" and isinstance(observed, Mapping):
        missing = observed.get("missing") or []
        return f"missing {observed.get('missing_count')} promised value(s) of {column}: {_short(missing, 300)}"
    if kind == "expect_column_unique_value_count_to_be_between" and isinstance(observed, int):
        where = f" where {condition_text(kwargs['row_condition'])}" if kwargs.get("row_condition") else ""
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None and observed < low:
            return f"only {observed} distinct {column} values{where}, promised at least {low}"
        if high is not None and observed > high:
            return f"{observed} distinct {column} values{where}, at most {high} expected"
    if kind == "expect_table_columns_to_match_set" and isinstance(observed, list):
        wanted = list(kwargs.get("column_set") or [])
        missing = [c for c in wanted if c not in observed]
        extra = [c for c in observed if c not in wanted]
        return f"missing columns {_short(missing, 200)}, unexpected columns {_short(extra, 200)}"
    return None


def _expected_text(kwargs: Mapping[str, Any]) -> str:
    skip = {"column", "column_list", "column_A", "column_B", "result_format", "catch_exceptions",
            "meta", "notes", "description", "severity", "id", "rendered_content", "batch_id"}
    items = [f"{k}={_short(v, 60)}" for k, v in kwargs.items() if k not in skip and v is not None]
    return ", ".join(items)


# --------------------------------------------------------------------------------------------
# GX result -> verdict
# --------------------------------------------------------------------------------------------


def exception_message(exception_info: Any) -> str | None:
    """GX puts either one ``{raised_exception, exception_message, ...}`` dict or a dict of them
    keyed by metric id into ``exception_info``; return the first raised message, if any."""
    if not isinstance(exception_info, Mapping):
        return None
    candidates = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    for info in candidates:
        if isinstance(info, Mapping) and info.get("raised_exception"):
            return str(info.get("exception_message") or "expectation raised an exception")
    return None


def _column_of(kwargs: Mapping[str, Any]) -> str | None:
    if kwargs.get("column") is not None:
        return str(kwargs["column"])
    if kwargs.get("column_A") is not None and kwargs.get("column_B") is not None:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if kwargs.get("column_list"):
        return ",".join(str(c) for c in kwargs["column_list"])
    return None


def outcome_from_gx(evr: Any) -> ExpectationOutcome:
    config = evr.expectation_config
    kwargs = {k: v for k, v in dict(config.kwargs).items() if k not in {"batch_id", "result_format"}}
    result = dict(evr.result or {})
    exception = exception_message(evr.exception_info)
    unexpected_count = result.get("unexpected_count")
    unexpected_percent = result.get("unexpected_percent")
    partial = result.get("partial_unexpected_list") or []
    rows = result.get("partial_unexpected_index_list") or []
    observed = result.get("observed_value")
    if config.type == "expect_column_distinct_values_to_contain_set" and result.get("missing_count") is not None:
        # GX 1.24's "contain set" checks report what is missing instead of an observed value.
        observed = {"missing_count": result["missing_count"], "missing": result.get("partial_missing_list") or []}
    return ExpectationOutcome(
        type=str(config.type),
        column=_column_of(kwargs),
        kwargs=json_safe(kwargs),
        success=bool(evr.success) and exception is None,
        observed_value=json_safe(observed),
        unexpected_count=None if unexpected_count is None else int(unexpected_count),
        unexpected_percent=None if unexpected_percent is None else float(unexpected_percent),
        partial_unexpected_list=json_safe(list(partial)[:PARTIAL_UNEXPECTED_MAX]),
        exception=exception,
        unexpected_rows=[r for r in json_safe(list(rows)[:PARTIAL_UNEXPECTED_MAX]) if isinstance(r, dict)],
    )

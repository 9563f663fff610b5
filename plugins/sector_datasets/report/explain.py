"""A failed gate result in words a sector owner can act on.

For each failed validation rule (a Great Expectations *expectation*; the pages say "quy tắc kiểm
tra", never "kỳ vọng", which reads as "hope"): the rule in plain Vietnamese, what was found,
the failing rows by their primary key ("năm 2010", from the gate's ``unexpected_rows``), and the
raw GX result for an engineer. Which source to fix and whom to contact are the dataset's (one
per dataset card, from the registry), built by :func:`fix_at`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sector_datasets.gate.outcomes import ExpectationOutcome, condition_text
from sector_datasets.report.facts import DatasetFacts, SourceRef
from sector_datasets.report.formatting import fmt_number

#: Key columns whose values read better with a word before them ("năm 2010", not "year = 2010").
KEY_WORDS = {"year": "năm", "nam": "năm", "month": "tháng", "thang": "tháng", "quarter": "quý", "date": "ngày"}
ROWS_SHOWN = 5


@dataclass(frozen=True)
class FailureExplanation:
    rule_vi: str  # the rule, in plain Vietnamese
    found_vi: str  # what the gate found
    rows_vi: str | None  # the failing rows by key: "năm 2010; năm 2011"
    label: str  # the technical name: expect_column_values_to_be_between(value)
    detail_en: str  # GX's finding in English (the engineer's line)
    why_vi: str | None  # the reason the suite gives for the rule
    raw: str  # the stored result as JSON, shown one click away


@dataclass(frozen=True)
class FixAt:
    """Where a failing dataset is fixed and whom to ask."""

    sources: tuple[SourceRef, ...]
    inputs: tuple[str, ...]  # input datasets (cross-sector data is fixed in its inputs)
    organisation: str
    contact: str


def _v(value: Any) -> str:
    """A value from the data or a rule: floats with a decimal comma; integers as written (ids and
    years read "3196", "2010", not "3.196"); counts go through fmt_number instead."""
    if isinstance(value, dict):  # a compound key's values: "BL / DAD / MAN"
        return " / ".join(_v(v) for v in value.values())
    return fmt_number(value) if isinstance(value, float) else str(value)


def rule_text(o: ExpectationOutcome) -> str:
    """The rule an expectation states, in Vietnamese."""
    k, c = o.kwargs, o.column
    low, high = k.get("min_value"), k.get("max_value")
    if low is not None and high is not None:
        span = f"từ {_v(low)} đến {_v(high)}"
    elif low is not None:
        span = f"không nhỏ hơn {_v(low)}"
    elif high is not None:
        span = f"không lớn hơn {_v(high)}"
    else:
        span = "trong khoảng cho phép"
    where = f" (với các dòng {condition_text(k['row_condition'])})" if k.get("row_condition") else ""
    texts = {
        "expect_column_values_to_be_between": f"Giá trị cột {c} phải {span}",
        "expect_column_values_to_be_unique": f"Mỗi giá trị của cột {c} chỉ được xuất hiện một lần",
        "expect_compound_columns_to_be_unique": f"Mỗi tổ hợp ({c}) chỉ được xuất hiện một lần",
        "expect_column_values_to_not_be_null": f"Cột {c} không được để trống",
        "expect_column_values_to_be_null": f"Cột {c} phải để trống",
        "expect_column_values_to_be_in_set": f"Cột {c} chỉ nhận các giá trị cho phép",
        "expect_column_values_to_not_be_in_set": f"Cột {c} không được nhận các giá trị bị cấm",
        "expect_column_values_to_match_regex": f"Giá trị cột {c} phải đúng định dạng quy định",
        "expect_column_values_to_not_match_regex": f"Giá trị cột {c} không được có định dạng bị cấm",
        "expect_column_values_to_be_in_type_list": f"Cột {c} phải có kiểu dữ liệu như hợp đồng dữ liệu khai báo",
        "expect_table_columns_to_match_set": "Bảng phải có đúng các cột như hợp đồng dữ liệu khai báo",
        "expect_table_row_count_to_be_between": f"Số dòng phải {span}",
        "expect_table_row_count_to_equal": f"Số dòng phải bằng {_v(k.get('value'))}",
        "expect_column_mean_to_be_between": f"Trung bình cột {c} phải {span}",
        "expect_column_median_to_be_between": f"Trung vị cột {c} phải {span}",
        "expect_column_sum_to_be_between": f"Tổng cột {c} phải {span}",
        "expect_column_max_to_be_between": f"Giá trị lớn nhất của cột {c} phải {span}",
        "expect_column_min_to_be_between": f"Giá trị nhỏ nhất của cột {c} phải {span}",
        "expect_column_unique_value_count_to_be_between": f"Số giá trị khác nhau của cột {c} phải {span}",
        "expect_column_distinct_values_to_contain_set": f"Cột {c} phải có đủ các giá trị đã cam kết",
        "expect_column_distinct_values_to_equal_set": f"Cột {c} phải có đúng tập giá trị đã khai báo",
        "expect_column_distinct_values_to_be_in_set": f"Cột {c} chỉ nhận các giá trị đã khai báo",
        "expect_column_pair_values_a_to_be_greater_than_b":
            f"Cột {k.get('column_A')} phải lớn hơn{' hoặc bằng' if k.get('or_equal') else ''} cột {k.get('column_B')}",
        "expect_column_values_to_not_contain_personal_data": "Không được công bố dữ liệu cá nhân dạng rõ",
        "expect_personal_data_columns_to_be_declared_correctly": "Cột dữ liệu cá nhân phải được khai báo đúng",
        "dbt_upstream_key_test": f"Khoá ở bước xử lý trước (dbt) không được trùng ({k.get('test')})",
    }
    return texts.get(o.type, f"Quy tắc kiểm tra {o.type}") + where


def found_text(o: ExpectationOutcome) -> str:
    """What the gate found, in Vietnamese: how many rows, which values, or what was observed."""
    if o.type == "dbt_upstream_key_test":
        return f"Khoá bị trùng ở bước xử lý trước: {o.exception or 'không rõ'}"
    if o.exception:
        return f"Quy tắc không chạy được: {o.exception.splitlines()[0][:200] if o.exception.strip() else ''}"
    if o.unexpected_count:
        text = f"{fmt_number(o.unexpected_count)} dòng vi phạm"
        if o.unexpected_percent is not None:
            text += f" ({fmt_number(o.unexpected_percent, 1)} %)"
        if o.partial_unexpected_list:
            text += "; giá trị sai: " + ", ".join(_v(v) for v in o.partial_unexpected_list[:ROWS_SHOWN])
        return text
    observed = o.observed_value
    if isinstance(observed, dict) and "missing" in observed:
        return f"Thiếu {fmt_number(observed.get('missing_count'))} giá trị: " + ", ".join(map(str, observed["missing"][:10]))
    if o.type == "expect_table_columns_to_match_set" and isinstance(observed, list):
        wanted = list(o.kwargs.get("column_set") or [])
        missing, extra = [c for c in wanted if c not in observed], [c for c in observed if c not in wanted]
        return f"Thiếu cột: {', '.join(missing) or 'không'}; cột lạ: {', '.join(extra) or 'không'}"
    if observed is not None:
        return f"Giá trị quan sát được: {_v(observed) if not isinstance(observed, (list, dict)) else json.dumps(observed, ensure_ascii=False)[:200]}"
    return "Không đạt"


def key_text(row: dict[str, Any], key: tuple[str, ...]) -> str:
    """One failing row by its primary key: "năm 2010", "airport_id 5, code ABC"."""
    parts = []
    for column in key or tuple(row):
        if column not in row:
            continue
        value = _v(row[column])
        word = KEY_WORDS.get(column.lower())
        parts.append(f"{word} {value}" if word else f"{column} {value}")
    return ", ".join(parts)


def rows_text(o: ExpectationOutcome, key: tuple[str, ...]) -> str | None:
    """The failing rows GX returned, by key: "năm 2010; năm 2011", a duplicated key once with its
    count ("item_id 2 (2 dòng)"), and how many failing rows GX did not return."""
    if not o.unexpected_rows:
        return None
    counts: dict[str, int] = {}
    for row in o.unexpected_rows:
        text = key_text(row, key)
        if text:
            counts[text] = counts.get(text, 0) + 1
    shown = "; ".join(f"{t} ({n} dòng)" if n > 1 else t for t, n in list(counts.items())[:ROWS_SHOWN])
    listed = sum(list(counts.values())[:ROWS_SHOWN])
    more = (o.unexpected_count or 0) - listed
    return shown + (f" (và {fmt_number(more)} dòng khác)" if more > 0 else "")


def describe(result: dict) -> tuple[str, str]:
    """(technical label, GX's one-line English finding with examples) of one stored result."""
    outcome = ExpectationOutcome.from_dict(result)
    label, text = outcome.label(), outcome.describe()
    return label, text[len(label):].strip() if text.startswith(label) else text


def explain(result: dict, facts: DatasetFacts, why_vi: str | None) -> FailureExplanation:
    outcome = ExpectationOutcome.from_dict(result)
    label, detail = describe(result)
    return FailureExplanation(
        rule_vi=rule_text(outcome),
        found_vi=found_text(outcome),
        rows_vi=rows_text(outcome, facts.primary_key),
        label=label,
        detail_en=detail,
        why_vi=why_vi,
        raw=json.dumps(result, ensure_ascii=False, indent=2, default=str),
    )


def fix_at(facts: DatasetFacts, organisation: str, contact: str) -> FixAt:
    return FixAt(facts.sources, facts.inputs, organisation, contact)

"""A failed validation rule in plain Vietnamese, with its rows by key (report.explain)."""

from __future__ import annotations

from sector_datasets.gate.outcomes import ExpectationOutcome
from sector_datasets.report.explain import found_text, key_text, rows_text, rule_text


def outcome(**kw) -> ExpectationOutcome:
    base = dict(type="expect_column_values_to_be_between", column="value",
                kwargs={"column": "value", "min_value": 0.0, "max_value": 100}, success=False)
    return ExpectationOutcome(**(base | kw))


def test_a_range_rule_reads_as_a_sentence_with_vietnamese_numbers():
    assert rule_text(outcome()) == "Giá trị cột value phải từ 0 đến 100"
    assert rule_text(outcome(column="share", kwargs={"column": "share", "min_value": 0.5})) == "Giá trị cột share phải không nhỏ hơn 0,5"
    conditioned = outcome(column="v", kwargs={"column": "v", "max_value": 10, "row_condition": 'col("unit")=="years"'})
    assert rule_text(conditioned).endswith('(với các dòng col("unit")=="years")')
    assert rule_text(outcome(type="expect_something_new", column=None, kwargs={})) == "Quy tắc kiểm tra expect_something_new"


def test_what_was_found_counts_rows_with_a_decimal_comma_and_lists_values():
    found = found_text(outcome(unexpected_count=1, unexpected_percent=5.2631, partial_unexpected_list=[148.0]))
    assert found == "1 dòng vi phạm (5,3 %); giá trị sai: 148"


def test_rows_are_named_by_their_key_a_year_in_words():
    o = outcome(unexpected_count=3, unexpected_rows=[{"year": 2010, "value": 148.0}, {"year": 2011, "value": 150.5}])
    assert rows_text(o, ("year",)) == "năm 2010; năm 2011 (và 1 dòng khác)"
    assert key_text({"province_code": "01", "year": 2010, "value": 1.5}, ("province_code", "year")) == "province_code 01, năm 2010"
    dup = outcome(type="expect_column_values_to_be_unique", unexpected_count=2, unexpected_rows=[{"airport_id": 3196}] * 2)
    assert rows_text(dup, ("airport_id",)) == "airport_id 3196 (2 dòng)"  # an id as written, not 3.196
    assert rows_text(outcome(unexpected_count=1), ("year",)) is None  # a result stored before keys were kept

"""Maturity scoring: every criterion, on its own, decides the level; sector level and target.

Each test starts from a dataset that meets every criterion (level 4) and breaks exactly one
thing, so it reads as the specification of that criterion.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sector_datasets.report.facts import Column, DatasetFacts, GateRun, Published, ScenarioRun, SourceRef
from sector_datasets.report.freshness import STALE_FACTOR, assess_freshness
from sector_datasets.report.maturity import CRITERIA, MIN_EXPECTATIONS
from sector_datasets.report.maturity_score import DatasetMaturity, score_dataset, score_sector

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PUBLISHED_AT = NOW - timedelta(days=3)


def suite(n: int = MIN_EXPECTATIONS) -> dict:
    return {"name": "demo", "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": f"c{i}"}} for i in range(n)]}


def gate(success: bool = True, evaluated: int = MIN_EXPECTATIONS, at: datetime = PUBLISHED_AT, run_id: str = "run_1") -> GateRun:
    return GateRun(run_id=run_id, started_at=at, success=success, evaluated=evaluated,
                   failed=0 if success else 1, row_count=10)


def published(columns: tuple[Column, ...] | None = None, files: dict | None = None, validated: bool = True) -> Published:
    return Published(
        version=1, published_at=PUBLISHED_AT, row_count=10, run_id="run_1", folder=Path("/nonexistent/v0001"),
        files=files or {"csv": True, "parquet": True, "metadata": True},
        columns=columns or (
            Column("province_code", "VARCHAR", "Province code.", "Mã tỉnh."),
            Column("year", "INTEGER", "Year.", "Năm."),
            Column("value", "DOUBLE", "Value.", "Giá trị.", "t"),
        ),
        validation={"success": validated, "evaluated": MIN_EXPECTATIONS},
        metadata={},
    )


def perfect(**changes) -> DatasetFacts:
    facts = DatasetFacts(
        sector_id="demo",
        dataset_id="demo_values",
        title_vi="Giá trị",
        title_en="Values",
        update_frequency="yearly",
        licence="CC-BY-4.0",
        primary_key=("province_code", "year"),
        suite_name="demo_values",
        sources=(SourceRef("src", "Source", "Publisher", "https://example.org/data.csv", "CC-BY-4.0", "example/repo @ abc : data.csv"),),
        suite=suite(),
        published=published(),
        gate_runs=(gate(),),
        scenarios=(ScenarioRun("demo", "q1", "Câu hỏi", "Question", True, "5 rows"),),
    )
    return replace(facts, **changes)


def level(facts: DatasetFacts) -> int:
    return score_dataset(facts, NOW).level


def result(facts: DatasetFacts, criterion: str):
    return score_dataset(facts, NOW).result(criterion)


def test_a_dataset_meeting_every_criterion_is_level_4_and_high_quality():
    maturity = score_dataset(perfect(), NOW)
    assert [r.id for r in maturity.results if not r.met] == []
    assert maturity.level == 4 and maturity.high_quality and maturity.score == 1.0


def test_the_criteria_cover_the_issue_and_every_level_has_one():
    assert {c.id for c in CRITERIA} == {
        "machine_readable_export", "open_licence", "no_unprotected_personal_data", "complete_data_dictionary",
        "provenance", "quality_gated", "fresh", "usage_scenarios_run",
    }
    assert {c.level for c in CRITERIA} == {1, 2, 3, 4}


#: criterion → a change that breaks only that criterion
BREAKERS = {
    "machine_readable_export": lambda f: replace(f, published=replace(f.published, files={"csv": True, "parquet": False, "metadata": True})),
    "open_licence": lambda f: replace(f, licence="CC-BY-NC-SA-3.0-IGO (WHO terms)"),
    "no_unprotected_personal_data": lambda f: replace(f, pii_columns=("province_code",)),
    "complete_data_dictionary": lambda f: replace(f, published=replace(f.published, columns=(
        Column("province_code", "VARCHAR", "Province code.", "Mã tỉnh."), Column("year", "INTEGER", "Year.", ""),
        Column("value", "DOUBLE", "Value.", "Giá trị.")))),
    "provenance": lambda f: replace(f, sources=(replace(f.sources[0], provenance=""),)),
    "quality_gated": lambda f: replace(f, gate_runs=(gate(), gate(success=False, at=NOW - timedelta(days=1), run_id="run_2"))),
    "fresh": lambda f: replace(f, update_frequency="monthly", published=replace(f.published, published_at=NOW - timedelta(days=60)),
                               gate_runs=(gate(at=NOW - timedelta(days=60)),)),
    "usage_scenarios_run": lambda f: replace(f, scenarios=(ScenarioRun("demo", "q1", "Câu hỏi", "Question", False, "ScenarioError: 0 rows"),)),
}


@pytest.mark.parametrize("criterion", [c for c in CRITERIA], ids=[c.id for c in CRITERIA])
def test_breaking_one_criterion_caps_the_level_just_below_it(criterion):
    facts = BREAKERS[criterion.id](perfect())
    maturity = score_dataset(facts, NOW)
    assert [r.id for r in maturity.results if not r.met] == [criterion.id]
    assert maturity.level == criterion.level - 1
    assert maturity.result(criterion.id).detail  # the scorecard says why


def test_a_dataset_never_published_is_level_0_and_scores_0_even_if_registry_checks_pass():
    maturity = score_dataset(perfect(published=None, gate_runs=()), NOW)
    assert maturity.level == 0 and maturity.score == 0.0
    assert maturity.result("provenance").met and not maturity.result("machine_readable_export").met


# --- machine-readable export -------------------------------------------------------------


def test_export_names_the_missing_files():
    facts = perfect(published=replace(published(), files={"csv": False, "parquet": False, "metadata": True}))
    assert "csv" in result(facts, "machine_readable_export").detail and "parquet" in result(facts, "machine_readable_export").detail


# --- open licence ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("licence", "met"),
    [
        ("CC-BY-4.0", True),
        ("ODbL-1.0", True),
        ("CC-BY-SA-4.0 (compilers' file headers; GSO statistics)", True),
        ("CC0-1.0", True),
        ("MIT", True),
        ("Public domain (US government work, AirNow DOS data terms); repository MIT", True),
        ("CC-BY-4.0 (reported for the World Bank catalog entry; verify)", False),
        ("CC-BY-NC-SA-3.0-IGO (WHO terms; verify before redistribution)", False),
        ("none stated (no licence file in the crawl repository)", False),
        ("OECD terms and conditions (repository CC-BY-4.0)", False),
        ("CC-BY-4.0 (OWID; UNWTO data); repository has no licence file", False),
    ],
)
def test_open_licence_needs_an_open_identifier_not_flagged_for_verification(licence, met):
    assert result(perfect(licence=licence), "open_licence").met is met


# --- personal data -----------------------------------------------------------------------


def _with_columns(*names: str) -> DatasetFacts:
    cols = tuple(Column(n, "VARCHAR", f"{n}.", f"{n} (vi).") for n in ("province_code", "year", *names))
    return perfect(published=replace(published(), columns=cols))


def test_a_pii_column_published_in_clear_fails():
    facts = replace(_with_columns("full_name"), pii_columns=("full_name",))
    check = result(facts, "no_unprotected_personal_data")
    assert not check.met and "full_name" in check.detail


def test_a_pii_column_published_as_a_salted_hash_is_protected():
    facts = replace(_with_columns("full_name"), pii_columns=("full_name",), pii_handling="hash")
    check = result(facts, "no_unprotected_personal_data")
    assert check.met and "SHA-256" in check.detail


def test_a_personal_looking_column_not_tagged_in_the_registry_fails():
    check = result(_with_columns("so_bao_danh"), "no_unprotected_personal_data")
    assert not check.met and "so_bao_danh" in check.detail


def test_a_personal_looking_column_tagged_quasi_passes_and_is_listed():
    check = result(replace(_with_columns("date_of_birth"), quasi_columns=("date_of_birth",)), "no_unprotected_personal_data")
    assert check.met and "date_of_birth" in check.detail


def test_names_that_only_contain_personal_words_are_not_flagged():
    # "airport_name", "phone_lines_per_100" are not about a person
    assert result(_with_columns("airport_name", "telephone_lines_per_100"), "no_unprotected_personal_data").met


def test_pii_tagged_but_not_published_passes():
    assert result(perfect(pii_columns=("candidate_number",)), "no_unprotected_personal_data").met


# --- data dictionary ---------------------------------------------------------------------


def test_dictionary_needs_english_descriptions_too():
    cols = (Column("province_code", "VARCHAR", "", "Mã tỉnh."), Column("year", "INTEGER", "Year.", "Năm."))
    check = result(perfect(published=replace(published(), columns=cols)), "complete_data_dictionary")
    assert not check.met and "province_code" in check.detail


def test_dictionary_needs_every_primary_key_column_published():
    check = result(perfect(primary_key=("province_code", "year", "indicator")), "complete_data_dictionary")
    assert not check.met and "indicator" in check.detail


# --- provenance --------------------------------------------------------------------------


def test_provenance_fails_when_an_input_dataset_is_not_published():
    facts = perfect(sources=(), inputs=("health_x", "agri_y"), unpublished_inputs=("agri_y",))
    check = result(facts, "provenance")
    assert not check.met and "agri_y" in check.detail


def test_provenance_of_a_cross_sector_dataset_is_its_published_inputs():
    assert result(perfect(sources=(), inputs=("health_x",)), "provenance").met


def test_provenance_fails_without_sources_or_inputs():
    assert not result(perfect(sources=()), "provenance").met


# --- quality gate ------------------------------------------------------------------------


def test_a_suite_smaller_than_the_minimum_fails():
    check = result(perfect(suite=suite(MIN_EXPECTATIONS - 1)), "quality_gated")
    assert not check.met and str(MIN_EXPECTATIONS - 1) in check.detail


def test_no_suite_file_fails():
    assert not result(perfect(suite=None), "quality_gated").met


def test_a_gate_that_evaluated_fewer_than_the_minimum_fails():
    assert not result(perfect(gate_runs=(gate(evaluated=MIN_EXPECTATIONS - 2),)), "quality_gated").met


def test_only_the_latest_gate_counts():
    recovered = (gate(success=False, at=NOW - timedelta(days=5), run_id="bad"), gate(at=NOW - timedelta(days=1), run_id="good"))
    assert result(perfect(gate_runs=recovered), "quality_gated").met
    broken = (gate(at=NOW - timedelta(days=5), run_id="good"), gate(success=False, at=NOW - timedelta(days=1), run_id="bad"))
    check = result(perfect(gate_runs=broken), "quality_gated")
    assert not check.met and "bad" in check.detail


def test_a_published_version_without_a_passing_validation_fails():
    assert not result(perfect(published=published(validated=False)), "quality_gated").met


# --- freshness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "age_days", "status"),
    [
        ("daily", 1.4, "fresh"), ("daily", 1.6, "stale"),
        ("weekly", 10.0, "fresh"), ("weekly", 11.0, "stale"),
        ("monthly", 46.0, "fresh"), ("monthly", 47.0, "stale"),
        ("yearly", 540.0, "fresh"), ("yearly", 560.0, "stale"),
        ("irregular", 540.0, "fresh"), ("irregular", 560.0, "stale"),
        ("static", 5000.0, "static"),
    ],
)
def test_stale_means_not_confirmed_within_one_and_a_half_declared_periods(frequency, age_days, status):
    assert STALE_FACTOR == 1.5
    fresh = assess_freshness(frequency, NOW - timedelta(days=age_days), NOW)
    assert fresh.status == status
    assert fresh.age_days == pytest.approx(age_days)


def test_a_later_passing_gate_confirms_unchanged_data_as_fresh():
    old = NOW - timedelta(days=60)
    facts = perfect(update_frequency="monthly", published=replace(published(), published_at=old),
                    gate_runs=(gate(at=old), gate(at=NOW - timedelta(days=2), run_id="run_2")))
    assert result(facts, "fresh").met
    assert facts.last_confirmed_at == NOW - timedelta(days=2)


def test_a_failing_gate_does_not_confirm_freshness():
    old = NOW - timedelta(days=60)
    facts = perfect(update_frequency="monthly", published=replace(published(), published_at=old),
                    gate_runs=(gate(at=old), gate(success=False, at=NOW - timedelta(days=1), run_id="bad")))
    check = result(facts, "fresh")
    assert not check.met and "stale" in check.detail


# --- usage scenarios ---------------------------------------------------------------------


def test_no_usage_scenario_fails():
    check = result(perfect(scenarios=()), "usage_scenarios_run")
    assert not check.met and "chưa có kịch bản khai thác" in check.detail


def test_one_failing_scenario_among_several_fails():
    ok = ScenarioRun("demo", "q1", "a", "a", True, "5 rows")
    bad = ScenarioRun("demo", "q2", "b", "b", False, "0 rows")
    check = result(perfect(scenarios=(ok, bad)), "usage_scenarios_run")
    assert not check.met and "q2" in check.detail


# --- sector ------------------------------------------------------------------------------


def dm(level: int, published: bool = True) -> DatasetMaturity:
    return DatasetMaturity(f"d{level}", level, (), published=published)


@pytest.mark.parametrize(
    ("levels", "sector_level", "high_quality", "status"),
    [
        ([4, 4, 3, 2, 0], 3, 3, "met"),
        ([4, 4, 2, 2], 2, 2, "below"),
        ([4, 3], 0, 2, "below"),  # fewer than three datasets: the target cannot be met
        ([3, 3, 3, 3, 3, 3], 3, 6, "above"),
        ([1, 1, 1, 0], 1, 0, "below"),
    ],
)
def test_sector_level_is_the_level_three_of_its_datasets_reach(levels, sector_level, high_quality, status):
    sector = score_sector([dm(lv) for lv in levels], published=len(levels))
    assert (sector.level, sector.high_quality, sector.target_status) == (sector_level, high_quality, status)


def test_sector_score_averages_dataset_scores_with_unpublished_at_zero():
    full = score_dataset(perfect(), NOW)
    never = score_dataset(perfect(published=None, gate_runs=()), NOW)
    assert score_sector([full, never], published=1).score == pytest.approx(0.5)


# --- next step, level names, counts (issue 16) ----------------------------------------------


@pytest.mark.parametrize("criterion", [c for c in CRITERIA], ids=[c.id for c in CRITERIA])
def test_the_next_step_is_the_broken_criterion_in_words_with_who_can_fix_it(criterion):
    step = score_dataset(BREAKERS[criterion.id](perfect()), NOW).next_step
    assert step.id == criterion.id and step.todo_vi and step.todo_en and step.who in ("owner", "engineer", "publisher")
    assert score_dataset(perfect(), NOW).next_step is None


def test_the_next_step_is_the_lowest_unmet_level_and_its_owner_follows_the_cause():
    broken = BREAKERS["usage_scenarios_run"](BREAKERS["open_licence"](perfect()))
    assert score_dataset(broken, NOW).next_step.id == "open_licence"
    failed_gate = score_dataset(BREAKERS["quality_gated"](perfect()), NOW).next_step
    assert failed_gate.who == "publisher"  # failing rows are corrected at the source
    small_suite = score_dataset(perfect(suite=suite(MIN_EXPECTATIONS - 1)), NOW).next_step
    assert small_suite.who == "engineer" and "quy tắc kiểm tra" in small_suite.todo_vi


def test_a_published_dataset_at_level_0_is_below_level_1_never_not_published():
    maturity = score_dataset(BREAKERS["open_licence"](perfect()), NOW)
    assert maturity.level == 0 and maturity.label_vi == "Chưa đạt mức 1" and maturity.label_en == "Below level 1"
    never = score_dataset(perfect(published=None, gate_runs=()), NOW)
    assert never.level == 0 and never.label_vi == "Chưa công bố"


def test_the_gate_count_is_passed_of_evaluated_never_more_than_its_total():
    # the gate adds automatic checks (personal data, upstream keys) to the suite: 17 evaluated, suite of 16
    facts = perfect(suite=suite(16), gate_runs=(gate(evaluated=17),))
    detail = result(facts, "quality_gated").detail
    assert detail.startswith("17/17 quy tắc kiểm tra đạt") and "bộ quy tắc 16 + 1 kiểm tra tự động" in detail
    assert "kỳ vọng" not in detail and "17/16" not in detail


def test_fresh_but_outdated_data_fails_fresh_and_the_publisher_is_asked():
    facts = perfect(published=replace(published(), metadata={"period_coverage": {"column": "year", "from": 2000, "to": 2018, "periods": 19}}))
    check = result(facts, "fresh")
    assert not check.met and "năm 2018" in check.detail and check.who == "publisher"
    assert score_dataset(facts, NOW).level == 2
    recent = perfect(published=replace(published(), metadata={"period_coverage": {"column": "year", "from": 2020, "to": 2025, "periods": 6}}))
    assert result(recent, "fresh").met and "dữ liệu đến năm 2025" in result(recent, "fresh").detail


def test_the_sector_level_explains_itself():
    sector = score_sector([score_dataset(BREAKERS["open_licence"](perfect()), NOW)] * 2 + [score_dataset(perfect(), NOW)] * 2, 4)
    assert sector.level == 0 and sector.label_vi == "Chưa đạt mức 1" and sector.reaching_next == 2
    assert "cần 3 bộ đạt mức 1, hiện có 2" in sector.why_vi

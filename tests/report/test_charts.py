"""Inline SVG charts: well-formed, scaled to their container, one marked point per run."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

from sector_datasets.report.charts import (
    AXIS_LABELS, FAIL, PASS, CountPoint, RunPoint, pass_rate_chart, row_count_sparkline, score_bar,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


UTC = timezone.utc


def test_pass_rate_chart_has_a_coloured_point_per_run_and_a_summary():
    points = [RunPoint("run_1", datetime(2026, 5, 1, 2, 0, tzinfo=UTC), 4, 4),
              RunPoint("run_2", datetime(2026, 5, 8, 2, 0, tzinfo=UTC), 3, 4, carried=1),
              RunPoint("run_3", datetime(2026, 5, 15, 2, 0, tzinfo=UTC), 4, 4)]
    svg = parse(pass_rate_chart(points))
    circles = svg.findall(f"{SVG}circle")
    assert [c.get("fill") for c in circles] == [PASS, FAIL, PASS]
    assert [c.get("data-run") for c in circles] == ["run_1", "run_2", "run_3"]
    assert circles[1].find(f"{SVG}title").text == (
        "08/05/2026\u00a009:00 (giờ Việt Nam) — 3/4 bộ đạt, 1 bộ không đổi giữ kết quả trước (lần chạy run_2)"
    )
    assert float(circles[1].get("cy")) > float(circles[0].get("cy"))  # 75 % is drawn below 100 %
    assert svg.get("width") == "100%" and svg.get("viewBox") and "gần nhất 4/4" in svg.get("aria-label")
    assert "100\u00a0%" in [t.text for t in svg.findall(f"{SVG}text")]  # Vietnamese percent format


def test_runs_on_the_same_day_get_their_own_axis_label_with_the_time():
    day = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    points = [RunPoint(f"run_{i}", day + timedelta(minutes=7 * i), 1, 1) for i in range(6)]
    svg = parse(pass_rate_chart(points))
    assert len(svg.findall(f"{SVG}circle")) == 6
    ticks = [[s.text for s in t.findall(f"{SVG}tspan")] for t in svg.findall(f"{SVG}text[@class='tick']")]
    assert ticks == [["07/12", f"20:{7 * i:02d}"] for i in range(6)]  # ICT: 13:00 UTC is 20:00


def test_a_long_history_labels_at_most_six_points_first_and_last_included():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    points = [RunPoint(f"r{i}", start + timedelta(days=i), 1, 1) for i in range(20)]
    ticks = parse(pass_rate_chart(points)).findall(f"{SVG}text[@class='tick']")
    assert len(ticks) == AXIS_LABELS
    assert ticks[0].find(f"{SVG}tspan").text == "01/01" and ticks[-1].find(f"{SVG}tspan").text == "20/01"


def test_pass_rate_chart_without_runs_says_so():
    assert "Chưa có lần chạy nào" in str(pass_rate_chart([]))


def test_labels_are_escaped():
    svg = parse(pass_rate_chart([RunPoint('manual__<script>&"', datetime(2026, 5, 1, tzinfo=UTC), 1, 1)]))
    assert svg.find(f"{SVG}circle").get("data-run") == 'manual__<script>&"'


def test_sparkline_marks_failed_runs_skips_runs_without_rows_and_shows_its_values():
    points = [CountPoint("a", 2500, True), CountPoint("b", None, False), CountPoint("c", 2617, False)]
    svg = parse(row_count_sparkline(points))
    assert [c.get("fill") for c in svg.findall(f"{SVG}circle")] == [PASS, FAIL]
    assert "2.500–2.617" in svg.get("aria-label") and svg.find(f"{SVG}title").text == svg.get("aria-label")
    assert svg.find(f"{SVG}text[@class='value']").text == "2.617"  # the latest value, written beside the line


def test_sparkline_of_a_constant_or_single_value_is_drawn_mid_height():
    svg = parse(row_count_sparkline([CountPoint("a", 7, True)]))
    (circle,) = svg.findall(f"{SVG}circle")
    assert float(circle.get("cy")) == 24.0


def test_score_bar_is_clamped():
    assert parse(score_bar(1.7)).findall(f"{SVG}rect")[1].get("width") == "120.0"
    assert parse(score_bar(-1)).findall(f"{SVG}rect")[1].get("width") == "0.0"


def test_six_runs_draw_six_points_when_unchanged_runs_skip_the_gate():
    """A run whose sources did not change writes no gate result; it is still a run on the chart,
    its datasets keeping their last result (that was the '3 points for 6 runs')."""
    from dataclasses import replace

    from sector_datasets.report.facts import GateRun, RunSummary, SectorFacts
    from sector_datasets.report.views import run_points
    from tests.report.test_maturity import perfect

    start = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    runs = [RunSummary(f"r{i}", f"r{i}", start + timedelta(minutes=10 * i), None) for i in range(6)]

    def gates(ids: list[int], failing: int | None = None) -> tuple[GateRun, ...]:
        return tuple(GateRun(f"r{i}", runs[i].started_at, i != failing, 8, int(i == failing), 10) for i in ids)

    a = replace(perfect(), dataset_id="a", gate_runs=gates([0, 2, 4]))
    b = replace(perfect(), dataset_id="b", gate_runs=gates([0, 3], failing=3))
    points = run_points(SectorFacts(sector=None, datasets=[a, b], runs=runs))
    assert [p.label for p in points] == [f"r{i}" for i in range(6)]
    assert [(p.passed, p.total, p.carried) for p in points] == [(2, 2, 0), (2, 2, 2), (2, 2, 1), (1, 2, 1), (1, 2, 1), (1, 2, 2)]

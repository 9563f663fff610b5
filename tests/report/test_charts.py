"""Inline SVG charts: well-formed, scaled to their container, one marked point per run."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sector_datasets.report.charts import FAIL, PASS, CountPoint, RunPoint, pass_rate_chart, row_count_sparkline, score_bar

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_pass_rate_chart_has_a_coloured_point_per_run_and_a_summary():
    points = [RunPoint("run_1", "2026-05-01", 4, 4), RunPoint("run_2", "2026-05-08", 3, 4), RunPoint("run_3", "2026-05-15", 4, 4)]
    svg = parse(pass_rate_chart(points))
    circles = svg.findall(f"{SVG}circle")
    assert [c.get("fill") for c in circles] == [PASS, FAIL, PASS]
    assert [c.get("data-run") for c in circles] == ["run_1", "run_2", "run_3"]
    assert circles[1].find(f"{SVG}title").text == "run_2 (2026-05-08): 3/4 đạt / passed"
    assert float(circles[1].get("cy")) > float(circles[0].get("cy"))  # 75 % is drawn below 100 %
    assert svg.get("width") == "100%" and svg.get("viewBox") and "latest 4/4" in svg.get("aria-label")


def test_pass_rate_chart_without_runs_says_so():
    assert "no runs yet" in str(pass_rate_chart([]))


def test_labels_are_escaped():
    svg = parse(pass_rate_chart([RunPoint('manual__<script>&"', "2026-05-01", 1, 1)]))
    assert svg.find(f"{SVG}circle").get("data-run") == 'manual__<script>&"'


def test_sparkline_marks_failed_runs_and_skips_runs_without_rows():
    points = [CountPoint("a", 25, True), CountPoint("b", None, False), CountPoint("c", 26, False)]
    svg = parse(row_count_sparkline(points))
    assert [c.get("fill") for c in svg.findall(f"{SVG}circle")] == [PASS, FAIL]
    assert "25–26" in svg.get("aria-label")


def test_sparkline_of_a_constant_or_single_value_is_drawn_mid_height():
    svg = parse(row_count_sparkline([CountPoint("a", 7, True)]))
    (circle,) = svg.findall(f"{SVG}circle")
    assert float(circle.get("cy")) == 24.0


def test_score_bar_is_clamped():
    assert parse(score_bar(1.7)).findall(f"{SVG}rect")[1].get("width") == "120.0"
    assert parse(score_bar(-1)).findall(f"{SVG}rect")[1].get("width") == "0.0"

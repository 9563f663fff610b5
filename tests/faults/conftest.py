"""Counts the catalogue's cases and outcomes and prints the summary line at the end of the session.

    faults: <cases> cases, <passed> passed, <published wrong> published wrong, <lost> lost

cases = catalogue rows collected (tests carrying the ``fault_case`` marker); passed = their test
passed; published wrong = cases in which a curated table or current export moved while the fault
was present (a bad version got out); lost = cases after which the last good version could not be
read. The last two come from the observations the campaigns record, not from the test outcome.
"""

from __future__ import annotations

import pytest

from tests.faults.faultlib import OBSERVATIONS, TIMINGS

_CASES: dict[str, str] = {}  # case id -> outcome of its test ("passed", "failed", "xfailed", ...)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "fault_case(id): a row of the fault and bad-input catalogue")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        marker = item.get_closest_marker("fault_case")
        if marker:
            _CASES.setdefault(marker.args[0], "not run")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("fault_case")
    if not marker:
        return
    case_id = marker.args[0]
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        if hasattr(report, "wasxfail"):
            _CASES[case_id] = "xfailed" if report.outcome == "skipped" else "xpassed"
        else:
            _CASES[case_id] = report.outcome


def pytest_sessionfinish(session) -> None:
    if not _CASES:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    write = reporter.write_line if reporter else print
    observations = [OBSERVATIONS[c] for c in _CASES if c in OBSERVATIONS]
    write("")
    write("fault catalogue (case -> expected -> observed):")
    for case_id, result in _CASES.items():
        obs = OBSERVATIONS.get(case_id)
        expected = obs.case.expected if obs else "?"
        observed = obs.observed() if obs else "not run"
        write(f"  {result:8s} {case_id:38s} -> {expected:11s} -> {observed}")
        if obs and session.config.getoption("verbose") > 0:
            write("           message: " + " ".join(obs.message.split())[:400])
    passed = sum(1 for r in _CASES.values() if r == "passed")
    xfailed = sum(1 for r in _CASES.values() if r == "xfailed")
    published_wrong = sum(1 for o in observations if o.published_wrong)
    lost = sum(1 for o in observations if o.lost)
    if TIMINGS:
        write("campaign phases (wall s): " + ", ".join(f"{k} {v}" for k, v in TIMINGS.items()))
    if xfailed:
        write(f"({xfailed} case(s) xfail strict: known gaps, listed above)")
    write(f"faults: {len(_CASES)} cases, {passed} passed, {published_wrong} published wrong, {lost} lost")

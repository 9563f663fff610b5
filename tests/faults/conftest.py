"""Counts the catalogue's cases and outcomes and prints the summary line at the end of the session.

    faults: <cases> cases, <passed> passed, <published wrong> published wrong, <lost> lost

cases = catalogue rows collected (tests carrying the ``fault_case`` marker); passed = their test
passed; published wrong = cases in which a curated table or current export moved while the fault
was present (a bad version got out); lost = cases after which the last good version could not be
read. The last two come from the observations the campaigns record, not from the test outcome.

Under pytest-xdist each worker sends its cases to the controller, which prints the one summary
(tests/conftest.py, tests/faults/summary.py).
"""

from __future__ import annotations

import pytest

from tests.faults.faultlib import OBSERVATIONS, TIMINGS
from tests.faults.summary import WORKEROUTPUT_KEY, catalogue, write_summary

_CASES: dict[str, str] = {}  # case id -> outcome of its test ("passed", "failed", "xfailed", ...)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "fault_case(id): a row of the fault and bad-input catalogue")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        marker = item.get_closest_marker("fault_case")
        if marker:
            _CASES.setdefault(marker.args[0], "not run")


def pytest_deselected(items) -> None:
    """A case deselected by -m / -k (`make test-fast` leaves the campaigns out) is not a row of this run."""
    for item in items:
        marker = item.get_closest_marker("fault_case")
        if marker:
            _CASES.pop(marker.args[0], None)


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
    data = catalogue(_CASES, OBSERVATIONS, TIMINGS)
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller prints (tests/conftest.py)
        session.config.workeroutput[WORKEROUTPUT_KEY] = data
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    write_summary(reporter.write_line if reporter else print, data, session.config.getoption("verbose") > 0)

"""The fault catalogue's summary as plain data, and its printing (see tests/faults/conftest.py).

Plain data so that, under pytest-xdist, each worker can send its part to the controller
(``workeroutput``), which merges the parts (tests/conftest.py) and prints the one summary.
Imports nothing of the platform: the xdist controller loads it without collecting any test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

WORKEROUTPUT_KEY = "fault_catalogue"


def catalogue(cases: Mapping[str, str], observations: Mapping, timings: Mapping[str, float]) -> dict:
    """One row per case (in collection order): its test's outcome and what the campaign observed."""
    rows = []
    for case_id, result in cases.items():
        obs = observations.get(case_id)
        rows.append({
            "case": case_id,
            "result": result,
            "expected": obs.case.expected if obs else "?",
            "observed": obs.observed() if obs else "not run",
            "message": " ".join(obs.message.split())[:400] if obs else None,
            "published_wrong": bool(obs and obs.published_wrong),
            "lost": bool(obs and obs.lost),
        })
    return {"rows": rows, "timings": dict(timings)}


def merge(into: dict, part: dict) -> None:
    """Every worker collected every case; a case's row is the one of the worker that ran it."""
    rows = into.setdefault("rows", {})
    for row in part["rows"]:
        known = rows.get(row["case"])
        if known is None or (known["result"] == "not run" and row["result"] != "not run"):
            rows[row["case"]] = row
    into.setdefault("timings", {}).update(part["timings"])


def write_summary(write: Callable[[str], object], data: dict, verbose: bool) -> None:
    rows = list(data["rows"].values()) if isinstance(data["rows"], dict) else data["rows"]
    if not rows:
        return
    write("")
    write("fault catalogue (case -> expected -> observed):")
    for row in rows:
        write(f"  {row['result']:8s} {row['case']:38s} -> {row['expected']:11s} -> {row['observed']}")
        if row["message"] is not None and verbose:
            write("           message: " + row["message"])
    passed = sum(1 for r in rows if r["result"] == "passed")
    xfailed = sum(1 for r in rows if r["result"] == "xfailed")
    published_wrong = sum(1 for r in rows if r["published_wrong"])
    lost = sum(1 for r in rows if r["lost"])
    if data["timings"]:
        write("campaign phases (wall s): " + ", ".join(f"{k} {v}" for k, v in data["timings"].items()))
    if xfailed:
        write(f"({xfailed} case(s) xfail strict: known gaps, listed above)")
    write(f"faults: {len(rows)} cases, {passed} passed, {published_wrong} published wrong, {lost} lost")

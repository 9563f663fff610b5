"""A failing quality gate inside a real Airflow run: red gate task, nothing published for that
dataset, the other datasets still published, the report task still runs and the run is failed.

The bad payload is a fault-test fixture: the real OpenFlights airports file with its first line
repeated (a duplicate airport_id).
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import copy_snapshot, run_cli
from tests.test_write_audit_publish import AIRPORTS, TRANSPORT_FILES

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory):
    home = tmp_path_factory.mktemp("gate_failure_home")
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("bad_snapshot"))
    lines = (snapshot / AIRPORTS).read_text(encoding="utf-8").splitlines()
    (snapshot / AIRPORTS).write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")
    proc = run_cli(home, "run", "--sector", "transport", snapshot_dir=snapshot)
    return home, snapshot, proc


def _task_states(home, snapshot) -> dict[str, str]:
    runs = run_cli(home, "airflow", "dags", "list-runs", "sector_transport", "-o", "json", snapshot_dir=snapshot)
    run_id = json.loads(next(l for l in runs.stdout.splitlines() if l.startswith("[{")))[0]["run_id"]
    states = run_cli(home, "airflow", "tasks", "states-for-dag-run", "sector_transport", run_id, "-o", "json", snapshot_dir=snapshot)
    rows = json.loads(next(l for l in states.stdout.splitlines() if l.startswith("[{")))
    return {r["task_id"]: r["state"] for r in rows}


def test_the_run_fails_and_says_which_dataset_and_expectation(failed_run):
    home, _, proc = failed_run
    assert proc.returncode == 1
    assert "sectors with failures: transport" in proc.stdout
    log = (home / "logs" / "sector_transport.log").read_text()
    assert "gate failed for sector 'transport' dataset 'transport_airports'" in log
    assert "expect_column_values_to_be_unique(airport_id)" in log


def test_only_the_bad_dataset_is_held_back_and_the_report_still_runs(failed_run):
    home, snapshot, _ = failed_run
    states = _task_states(home, snapshot)
    assert states["gate__transport_airports"] == "failed"
    assert states["publish__transport_airports"] == "upstream_failed"
    assert states["gate__transport_bus_routes"] == "success"
    assert states["publish__transport_bus_routes"] == "success"
    assert states["report"] == "success"
    assert not (home / "exports" / "transport" / "transport_airports").exists() or not any(
        (home / "exports" / "transport" / "transport_airports").glob("v*")
    )
    assert (home / "exports" / "transport" / "transport_bus_routes" / "current" / "metadata.json").exists()
    html = (home / "reports" / "transport" / "index.html").read_text(encoding="utf-8")
    assert 'data-dataset="transport_airports" data-gate="failed"' in html

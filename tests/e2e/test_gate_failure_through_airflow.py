"""A failing quality gate inside a real Airflow run: the sector's gate task validates every
dataset, the failed dataset's publish task is red with the gate's reason and publishes nothing,
the other datasets are still published, the report task still runs and the run is failed.

The bad payload is a fault-test fixture: the real OpenFlights airports file with its first line
repeated (a duplicate airport_id). The run has an SMTP connection (``AIRFLOW_CONN_SMTP_DEFAULT``)
to a local SMTP server (tests/smtp_sink.py), so the failed gate's owner alert is mailed for real.
"""

from __future__ import annotations

import json

import pytest

from sector_datasets.registry import load_registry
from tests.helpers import REGISTRY_DIR, copy_snapshot, run_cli
from tests.smtp_sink import SmtpSink
from tests.test_write_audit_publish import AIRPORTS, TRANSPORT_FILES

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory, smtp_sink):
    home = tmp_path_factory.mktemp("gate_failure_home")
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("bad_snapshot"))
    lines = (snapshot / AIRPORTS).read_text(encoding="utf-8").splitlines()
    (snapshot / AIRPORTS).write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")
    proc = run_cli(home, "run", "--sector", "transport", snapshot_dir=snapshot,
                   extra_env={"AIRFLOW_CONN_SMTP_DEFAULT": smtp_sink.conn_uri()})
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
    assert states["gate"] == "success", "the gate ran for every dataset; the verdicts are the publish tasks'"
    assert states["publish__transport_airports"] == "failed"
    assert states["approve__transport_airports"] == "upstream_failed"
    assert states["publish__transport_bus_routes"] == "success"
    assert states["report"] == "success"
    assert not (home / "exports" / "transport" / "transport_airports").exists() or not any(
        (home / "exports" / "transport" / "transport_airports").glob("v*")
    )
    assert (home / "exports" / "transport" / "transport_bus_routes" / "current" / "metadata.json").exists()
    html = (home / "reports" / "transport" / "index.html").read_text(encoding="utf-8")
    assert 'data-dataset="transport_airports" data-gate="failed"' in html


def test_the_owner_is_mailed_why_the_gate_failed_with_the_scorecard_link(failed_run, smtp_sink):
    home, snapshot, _ = failed_run
    owner = load_registry(REGISTRY_DIR).sectors["transport"].owner.contact
    # One mail per dataset that failed its gate (the duplicate airport also fans out air-routes
    # joins: its publish task is red too), to the owner; none for the datasets that passed.
    failed_gates = sorted(t.removeprefix("publish__") for t, s in _task_states(home, snapshot).items()
                          if t.startswith("publish__") and s == "failed")
    mails = {m.message["Subject"].rsplit(" / ", 1)[-1]: m for m in smtp_sink.received}
    assert "transport_airports" in failed_gates
    assert sorted(mails) == failed_gates and len(smtp_sink.received) == len(failed_gates)
    assert all(m.rcpt_to == [owner] for m in smtp_sink.received)
    mail = mails["transport_airports"]
    assert mail.message["Subject"] == (
        "[sector-datasets] Kiểm tra chất lượng không đạt / Quality gate failed: transport / transport_airports")
    body = mail.html()
    assert "Phiên bản mới của bộ dữ liệu không đạt kiểm tra chất lượng" in body  # Vietnamese
    assert "failed its quality checks and was not published" in body  # English
    assert "expect_column_values_to_be_unique(airport_id)" in body  # the gate's own reason
    assert 'href="http://localhost:8080/dags/sector_transport/plugin/sector-datasets-dag"' in body

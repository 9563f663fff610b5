"""Owner approval and Asset events through a real Airflow 3.3 (``airflow standalone``, REST API).

The transport DAG runs in a private ``airflow standalone`` (scheduler, LocalExecutor, API server)
with approvals decided in Airflow. Runs, in order, each triggered through REST:

1. first run: every dataset is new → served, one Asset event each;
2. same payloads: unchanged → no Asset event;
3. one airport's latitude revised in the payload: ``transport_airports`` is held, its HITL task
   waits; no Asset event while it waits; *Approve* through the REST HITL endpoint → v2 served,
   one Asset event (through the alias), which triggers an Asset-scheduled consumer DAG;
4. another latitude revised: held again; *Reject* with a reason → v2 stays served, the rejection
   (who, why) is in v3's ``metadata.json``; no Asset event.

What is served is read from the exports (``current`` symlink, ``metadata.json``), never the
warehouse, so the test never competes with Airflow for the DuckDB file.
Slow: ≈4–6 min on 2 cores (four DAG runs of the transport sector).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from sector_datasets.settings import REPO_ROOT, get_settings
from tests.helpers import TRANSPORT_FILES, copy_registry, copy_snapshot, edit_yaml, revise_airport_latitude
from tests.ui.airflow_server import AirflowServer, start_airflow

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

DAG_ID, DS = "sector_transport", "transport_airports"
FILES = TRANSPORT_FILES
CONSUMER = "consumer_of_transport_airports"

DAG_FILE = f'''# airflow DAG file (Airflow's safe mode looks for both words): the sector DAGs of dags/sectors.py
exec(open({str(REPO_ROOT / "dags" / "sectors.py")!r}).read())
'''
CONSUMER_FILE = f'''
from datetime import datetime
from airflow.sdk import DAG, Asset
from airflow.providers.standard.operators.empty import EmptyOperator
with DAG("{CONSUMER}", schedule=[Asset(name="curated.{DS}", uri="sector-datasets://curated/{DS}",
         group="sector-datasets")], start_date=datetime(2025, 1, 1), catchup=False):
    EmptyOperator(task_id="noop")
'''


class Api:
    def __init__(self, server: AirflowServer, exports: Path):
        self.base, self.server, self.exports = server.base_url, server, exports
        token = httpx.post(f"{self.base}/auth/token", json={"username": "admin", "password": server.admin_password()},
                           timeout=30).json()["access_token"]
        self.client = httpx.Client(base_url=f"{self.base}/api/v2", headers={"Authorization": f"Bearer {token}"},
                                   timeout=60)

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.client.request(method, path, **kwargs)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text[:2000]}"
        return response.json() if response.content else {}

    def wait(self, what: str, check, timeout_s: float = 600.0, every: float = 3.0):
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            value = check()
            if value:
                return value
            time.sleep(every)
        raise TimeoutError(f"waited {timeout_s:.0f}s for {what}")

    def trigger(self, run_id: str) -> None:
        self.call("POST", f"/dags/{DAG_ID}/dagRuns", json={"dag_run_id": run_id, "logical_date": None})

    def run_state(self, run_id: str) -> str:
        return self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}")["state"]

    def finished(self, run_id: str) -> str:
        state = self.wait(f"run {run_id}", lambda: (s := self.run_state(run_id)) in ("success", "failed") and s)
        if state != "success":  # name the failed tasks and say why: the assertion alone says nothing
            tis = self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances")["task_instances"]
            print("task states:", {t["task_id"]: t["state"] for t in tis})
            for failed in (t["task_id"] for t in tis if t["state"] == "failed"):
                print(_why_failed(self.server, self.exports, run_id, failed))
        return state

    def task_state(self, run_id: str, task_id: str) -> str | None:
        return self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}")["state"]

    def events(self) -> dict[str, int]:
        events = self.call("GET", "/assets/events", params={"limit": 1000})["asset_events"]
        counts: dict[str, int] = {}
        for e in events:
            if (e.get("name") or "").startswith("curated.transport"):
                counts[e["name"]] = counts.get(e["name"], 0) + 1
        return counts

    def answer(self, run_id: str, option: str, reason: str) -> dict:
        # Only once the scheduler has seen the deferring process exit. Answered earlier, Airflow 3.3.2
        # fails the resumed task: the stale "success" of the defer exit, drained after the resumed try
        # is queued or running, reads as "finished with state success, but the task instance's state
        # attribute is queued/running" (apache/airflow#72716, open). A fixed 5 s pause was not enough
        # on a loaded CI machine; a person answers later than that, a test has to wait for the signal.
        self.wait(f"the scheduler to see approve__{DS} of {run_id} parked",
                  lambda: _parked(self.server, run_id, f"approve__{DS}"), timeout_s=300, every=0.5)
        return self.call("PATCH", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/approve__{DS}/-1/hitlDetails",
                         json={"chosen_options": [option], "params_input": {"reason": reason}})


def _parked(server: AirflowServer, run_id: str, task_id: str) -> bool:
    """Whether the scheduler has processed the executor's event for the try that deferred into
    ``awaiting_input`` (its "TaskInstance Finished" line: state awaiting_input, executor success)."""
    head = f"TaskInstance Finished: dag_id={DAG_ID}, task_id={task_id}, run_id={run_id},"
    return any(head in line and "state=awaiting_input" in line and "executor_state=success" in line
               for line in server.log_lines())


def _served(exports: Path) -> int:
    return int((exports / "transport" / DS / "current").resolve().name.lstrip("v"))


def _task_logs(exports: Path, run_id: str, task_id: str) -> Path:
    """The task's log folder as the LocalExecutor's supervisor wrote it (home/airflow/logs): attempt=N.log."""
    return exports.parent / "airflow" / "logs" / f"dag_id={DAG_ID}" / f"run_id={run_id}" / f"task_id={task_id}"


def _task_log(exports: Path, run_id: str, task_id: str) -> str:
    return (_task_logs(exports, run_id, task_id) / "attempt=1.log").read_text(encoding="utf-8")


def _why_failed(server: AirflowServer, exports: Path, run_id: str, task_id: str) -> str:
    """A failed task's own log and what the scheduler said of it: a task failed by the scheduler
    (a state mismatch) leaves its reason only in the scheduler's log."""
    parts = [f"--- {task_id} in {run_id}"]
    for log in sorted(_task_logs(exports, run_id, task_id).glob("attempt=*.log")):
        parts += [f"{log.name} (tail):", *log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]]
    parts += ["airflow standalone log, lines naming the task:",
              *[line[:1500] for line in server.log_lines() if task_id in line and run_id in line][-30:]]
    return "\n".join(parts)


def _metadata(exports: Path, version: int) -> dict:
    return json.loads((exports / "transport" / DS / f"v{version:04d}" / "metadata.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def airflow(tmp_path_factory):
    home = tmp_path_factory.mktemp("approval_home")
    snapshot = copy_snapshot(FILES, tmp_path_factory.mktemp("approval_snapshot"))
    dags = tmp_path_factory.mktemp("approval_dags")
    (dags / "sectors.py").write_text(DAG_FILE, encoding="utf-8")
    (dags / "consumer.py").write_text(CONSUMER_FILE, encoding="utf-8")
    # Only the runs the test triggers: no scheduled run created when the DAG is unpaused.
    registry = copy_registry(tmp_path_factory.mktemp("approval_registry"))
    edit_yaml(registry / "transport.yml", lambda data: data.update(schedule=None))
    mp = pytest.MonkeyPatch()
    mp.setenv("SECTOR_DATASETS_REGISTRY", str(registry))
    mp.setenv("SECTOR_DATASETS_HOME", str(home))
    mp.setenv("SECTOR_DATASETS_SNAPSHOT_DIR", str(snapshot))
    settings = get_settings()
    mp.setenv("AIRFLOW__CORE__DAG_FILE_PROCESSOR_TIMEOUT", "120")
    started = time.monotonic()
    server = start_airflow(settings, dags, home / "airflow-standalone.log")
    try:
        server.wait_healthy(timeout_s=300)
        api = Api(server, settings.exports_dir)
        api.call("POST", "/pools", json={"name": "sector_datasets_warehouse", "slots": 1})
        for dag_id in (DAG_ID, CONSUMER):
            api.wait(f"{dag_id} parsed", lambda d=dag_id: api.client.get(f"/dags/{d}").status_code == 200, 300)
            api.call("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
        yield api, settings.exports_dir, snapshot, started
    finally:
        server.stop()
        mp.undo()


def test_asset_events_only_for_served_versions_and_owner_decisions_through_rest(airflow):
    api, exports, snapshot, started = airflow
    timings = {}

    api.trigger("changed_1")
    assert api.finished("changed_1") == "success"
    counts = api.events()
    assert counts == {f"curated.{d}": 1 for d in
                      ("transport_bus_routes", "transport_bus_stop_points", "transport_airports", "transport_air_routes",
                       "transport_passenger_freight_monthly_by_mode")}
    assert api.task_state("changed_1", f"approve__{DS}") == "skipped", "no approval task when nothing is held"
    consumer_runs = api.wait("consumer triggered", lambda: api.call("GET", f"/dags/{CONSUMER}/dagRuns")["total_entries"])
    assert consumer_runs == 1, "the alias-emitted Asset event triggers the Asset-scheduled DAG"
    timings["changed"] = time.monotonic() - started
    transform_log, gate_log = _task_log(exports, "changed_1", "transform"), _task_log(exports, "changed_1", "gate")
    assert "Done. PASS=" in transform_log and "leaked semaphore" not in transform_log, transform_log[-2000:]
    # One gate task for the sector's datasets; GX's own INFO lines stay out (under 60 lines a dataset).
    assert f"dataset {DS}: gate PASSED" in gate_log and len(gate_log.splitlines()) < 60 * len(counts), gate_log[-3000:]

    api.trigger("unchanged_2")
    assert api.finished("unchanged_2") == "success"
    assert api.events() == counts, "an unchanged run emits no Asset event"

    revise_airport_latitude(snapshot, 3)
    api.trigger("held_3")
    api.wait("approval task waiting", lambda: api.task_state("held_3", f"approve__{DS}") == "awaiting_input", 600)
    detail = api.call("GET", f"/dags/{DAG_ID}/dagRuns/held_3/taskInstances/approve__{DS}/-1/hitlDetails")
    assert "Approve transport_airports v2" in detail["subject"] and "Phê duyệt" in detail["subject"]
    assert "awaits approval" in detail["body"] and "chờ phê duyệt" in detail["body"]
    assert _served(exports) == 1 and api.events() == counts, "a held version is neither served nor announced"
    answer = api.answer("held_3", "Approve", "checked with the source / đã kiểm tra")
    assert answer["chosen_options"] == ["Approve"]
    assert api.finished("held_3") == "success"
    assert api.task_state("held_3", f"serve__{DS}") == "success"
    assert api.task_state("held_3", f"reject__{DS}") == "skipped"
    assert _served(exports) == 2
    approval = _metadata(exports, 2)["changes"]["approval"]
    assert approval["status"] == "approved" and approval["by"] == "admin"
    after_approval = api.events()
    assert after_approval[f"curated.{DS}"] == 2 and sum(after_approval.values()) == sum(counts.values()) + 1
    api.wait("consumer triggered again",
             lambda: api.call("GET", f"/dags/{CONSUMER}/dagRuns")["total_entries"] == 2)

    revise_airport_latitude(snapshot, 4)
    api.trigger("held_4")
    api.wait("approval task waiting", lambda: api.task_state("held_4", f"approve__{DS}") == "awaiting_input", 600)
    api.answer("held_4", "Reject", "revision not confirmed by the source")
    assert api.finished("held_4") == "success"
    assert api.task_state("held_4", f"reject__{DS}") == "success"
    assert _served(exports) == 2, "a rejected version is not served"
    rejected = _metadata(exports, 3)["changes"]["approval"]
    assert (rejected["status"], rejected["by"], rejected["reason"]) == (
        "rejected", "admin", "revision not confirmed by the source")
    assert api.events() == after_approval, "a rejected publish emits no Asset event"
    print(f"\nasset events: changed run {sum(counts.values())}, unchanged 0, held 0, approved 1, rejected 0; "
          f"first run after {timings['changed']:.0f}s, whole test {time.monotonic() - started:.0f}s")

"""Every sector task records its final failure in the run event log, even one that died outside
the stage functions (a timeout is a BaseException the stage wrapper does not catch)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sector_datasets.orchestration import stage_groups, stages

from sector_datasets.state import runlog
from sector_datasets.orchestration.dag_factory import FailureRecorder, build_sector_dag
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings
from tests.privacy.synthetic import environment

REGISTRY = load_registry(get_settings().registry_dir)
RUN_ID = "scheduled__2025-01-06T00:00:00+00:00"


@pytest.fixture(scope="module")
def dag():
    return build_sector_dag(REGISTRY.sector("health"), REGISTRY)


@pytest.fixture
def home(tmp_path):
    with environment(SECTOR_DATASETS_HOME=str(tmp_path)):
        yield tmp_path


def context(dag, task_id: str, exception: BaseException) -> dict:
    """What Airflow 3 passes to on_failure_callback, with the fields the recorder reads."""
    task = dag.get_task(task_id)
    ti = SimpleNamespace(task_id=task_id, dag_id=dag.dag_id, run_id=RUN_ID, try_number=4, map_index=-1, state="failed")
    dag_run = SimpleNamespace(dag_id=dag.dag_id, run_id=RUN_ID, run_type="scheduled", conf={})
    return {
        "dag": dag, "task": task, "ti": ti, "task_instance": ti, "dag_run": dag_run, "run_id": RUN_ID,
        "exception": exception, "params": {"force_rebuild": False}, "ds": "2025-01-06",
    }


def test_every_task_of_a_sector_dag_has_the_failure_recorder(dag):
    for task in dag.tasks:
        callbacks = task.on_failure_callback if isinstance(task.on_failure_callback, list) else [task.on_failure_callback]
        assert any(isinstance(c, FailureRecorder) and c.sector_id == "health" for c in callbacks), task.task_id
    # Retries stay where they help: extract only (with backoff), never a gate or a publish.
    assert all(t.retries >= 2 and t.retry_exponential_backoff for t in dag.tasks if t.task_id == "extract")
    assert all(t.retries == 0 for t in dag.tasks if t.task_id == "gate" or t.task_id.startswith("publish__"))
    assert dag.params["force_rebuild"] is False


def test_a_task_killed_by_a_timeout_is_recorded_with_its_task_id(dag, home):
    from airflow.sdk.exceptions import AirflowTaskTimeout

    exc = AirflowTaskTimeout("Timeout, PID: 4242; url=https://api.example.com/x?api_key=SYNTHETIC-KEY-1")
    recorder = dag.get_task("extract").on_failure_callback
    recorder = recorder[0] if isinstance(recorder, list) else recorder
    recorder(context(dag, "extract", exc))
    (event,) = runlog.read_events(home, "health", RUN_ID)
    assert event["stage"] == "extract"
    assert event["target"] == "health"
    assert event["status"] == "failed"
    assert event["message"].startswith("AirflowTaskTimeout: Timeout, PID: 4242")
    assert "SYNTHETIC-KEY-1" not in event["message"] and "api_key=***" in event["message"]
    assert event["source"] == "on_failure_callback" and event["try_number"] == 4 and event["dag_id"] == "sector_health"


def test_a_failure_the_stage_already_recorded_is_not_counted_twice(dag, home):
    # A malformed build record: every dataset's gate stage raises and records it; the sector's gate
    # task carries each failure to the dataset's publish task, which fails with it.
    verdicts = stage_groups.gate_datasets("health", RUN_ID, {})
    with pytest.raises(stages.GateFailed, match="health_tb_burden.*could not run: TypeError") as failed:
        stage_groups.verdict_of(verdicts, "health", "health_tb_burden")
    recorded = [(e["stage"], e["target"], e["status"]) for e in runlog.read_events(home, "health", RUN_ID)]
    assert recorded == [("gate", d.id, "failed") for d in load_registry(get_settings().registry_dir).sector("health").datasets]
    FailureRecorder("health")(context(dag, "publish__health_tb_burden", failed.value))
    assert [(e["stage"], e["target"], e["status"]) for e in runlog.read_events(home, "health", RUN_ID)] == recorded
    # A different failure of another task is recorded.
    FailureRecorder("health")(context(dag, "load_raw", RuntimeError("worker lost")))
    assert [(e["stage"], e["target"]) for e in runlog.read_events(home, "health", RUN_ID)][-1] == ("load_raw", "health")


def test_the_callback_never_raises(dag, home):
    FailureRecorder("health")({"exception": ValueError("no ti, no run id")})
    FailureRecorder("health")(None)  # not even a dict
    assert runlog.read_events(home, "health", RUN_ID) == []

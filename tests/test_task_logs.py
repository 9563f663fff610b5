"""Cutting a ``dag.test()`` log into Airflow task logs (the real run is in tests/e2e)."""

from __future__ import annotations

from sector_datasets.orchestration.task_logs import split_dag_test_log, task_log_path

RUN = "manual__2026-12-07T14:31:39.606564+00:00"


def _task(task: str, body: str, map_index: int = -1) -> str:
    return (
        f"t [info] [DAG TEST] starting task_id={task} map_index={map_index} [airflow.sdk.definitions.dag]\n"
        f"t [info] [DAG TEST] running task <TaskInstance: sector_x.{task} {RUN} [TaskInstanceState.SCHEDULED] ti_id=1>\n"
        f"{body}\n"
        f"t [info] [DAG TEST] end task task_id={task} map_index={map_index} [airflow.sdk.definitions.dag]\n"
    )


def test_each_task_and_each_retry_gets_its_own_file_in_airflows_layout(tmp_path):
    log = tmp_path / "sector_x.log"
    log.write_text(
        "migrating the metadata DB\n"
        + _task("start", "started")
        + "scheduler loop line\n"
        + _task("load_raw", "first attempt failed")
        + _task("load_raw", "second attempt loaded 5 tables")
        + _task("extract__a", "mapped", map_index=2)
        + "t [info] [DAG TEST] starting task_id=report map_index=-1\n",  # the interpreter died here
        encoding="utf-8",
    )
    written = split_dag_test_log(log, tmp_path / "logs")
    root = tmp_path / "logs"
    assert written == [
        task_log_path(root, "sector_x", RUN, "start", -1, 1),
        task_log_path(root, "sector_x", RUN, "load_raw", -1, 1),
        task_log_path(root, "sector_x", RUN, "load_raw", -1, 2),
        task_log_path(root, "sector_x", RUN, "extract__a", 2, 1),
    ]
    assert str(written[3]).endswith(f"dag_id=sector_x/run_id={RUN}/task_id=extract__a/map_index=2/attempt=1.log")
    assert "second attempt loaded 5 tables" in written[2].read_text() and "first attempt" not in written[2].read_text()
    assert "scheduler loop line" not in "".join(p.read_text() for p in written)

"""The task logs of a ``dag.test()`` run, where the Airflow UI looks for them.

``cli run`` (``make run``) runs each DAG with ``dag.test()`` in one interpreter: the tasks log to
that interpreter's output, which :mod:`.dag_batch` keeps as ``<logs>/<dag_id>.log``, and Airflow
writes no per-task file, so the UI showed every task of those runs with an empty log. Cutting the
DAG's log at ``dag.test()``'s own task markers and writing each piece under Airflow's log
filename template (the default, which :mod:`.airflow_env` never changes) makes "Logs" in the UI
show what the task did, exactly as for a scheduler-run task.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# dag.test()'s task markers (bench/airflow_log.py times tasks by the same ones):
# dag.test() logs "[DAG TEST] starting task_id=T map_index=M", then
# "[DAG TEST] running task <TaskInstance: DAG.T RUN_ID [STATE] …>", the task's own lines, and
# "[DAG TEST] end task task_id=T map_index=M".
DAG_TEST_START = re.compile(r"\[DAG TEST\] starting task_id=(?P<task>\S+) map_index=(?P<map>-?\d+)")
_RUNNING = re.compile(r"\[DAG TEST\] running task <TaskInstance: (?P<dag>[^.\s]+)\.(?P<task>\S+) (?P<run>\S+) ")
DAG_TEST_END = re.compile(r"\[DAG TEST\] end task task_id=(?P<task>\S+) map_index=(?P<map>-?\d+)")


@dataclass
class _Piece:
    task_id: str
    map_index: int
    attempt: int
    run_id: str = ""
    dag_id: str = ""
    lines: list[str] = field(default_factory=list)


def task_log_path(logs_root: Path, dag_id: str, run_id: str, task_id: str, map_index: int, attempt: int) -> Path:
    """Airflow 3's default ``log_filename_template``, rendered."""
    mapped = f"map_index={map_index}/" if map_index >= 0 else ""
    return logs_root / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={task_id}" / f"{mapped}attempt={attempt}.log"


def split_dag_test_log(dag_log: Path, logs_root: Path) -> list[Path]:
    """Write one Airflow task log per task found in ``dag_log``; the files written.

    A task that ``dag.test()`` retried gets one file per attempt (attempt=1, 2, …), as Airflow's
    try numbers; lines between tasks (the scheduler loop of ``dag.test()``) belong to no task.
    """
    attempts: Counter[tuple[str, int]] = Counter()
    pieces: list[_Piece] = []
    current: _Piece | None = None
    with open(dag_log, encoding="utf-8", errors="replace") as f:
        for line in f:
            if (start := DAG_TEST_START.search(line)) is not None:
                key = (start["task"], int(start["map"]))
                attempts[key] += 1
                current = _Piece(key[0], key[1], attempts[key])
                pieces.append(current)
            if current is None:
                continue
            current.lines.append(line)
            if (running := _RUNNING.search(line)) is not None and running["task"] == current.task_id:
                current.dag_id, current.run_id = running["dag"], running["run"]
            if (end := DAG_TEST_END.search(line)) is not None and end["task"] == current.task_id:
                current = None
    written = []
    for piece in pieces:
        if not piece.run_id:  # the interpreter died before the task really started
            continue
        path = task_log_path(logs_root, piece.dag_id, piece.run_id, piece.task_id, piece.map_index, piece.attempt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(piece.lines), encoding="utf-8")
        written.append(path)
    return written

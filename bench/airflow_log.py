"""Per-task timings from the output of ``airflow dags test`` (tasks run in-process there).

For every task the log has, in order::

    <ts> [DAG TEST] starting task_id=X           task start begins
    <ts> ::endgroup::                            pre-execute done (state RUNNING, context built)
    <ts> Done. Returned value was: ...           the task's callable returned
    <ts> [DAG TEST] end task task_id=X           XCom pushed, state recorded

so a task's time splits into Airflow start-up (starting → first endgroup), the work (endgroup →
Done) and Airflow finish (Done → end). Time before the first task (interpreter, imports, DAG
parse, DAG-run creation) and after the last one is the process' fixed cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import bench.common  # noqa: F401 - puts plugins/ on sys.path when a script runs from bench/
from sector_datasets.orchestration.task_logs import DAG_TEST_END, DAG_TEST_START

_TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z?\s")
# dag.test()'s own task markers, as the platform reads them (group 1: the task id)
_START, _END = DAG_TEST_START, DAG_TEST_END


@dataclass
class TaskSpan:
    task_id: str
    start: float
    pre_end: float | None = None
    done: float | None = None
    end: float | None = None

    @property
    def startup_s(self) -> float:
        return (self.pre_end or self.end or self.start) - self.start

    @property
    def work_s(self) -> float:
        if self.pre_end is None:
            return 0.0
        return (self.done or self.end or self.pre_end) - self.pre_end

    @property
    def finish_s(self) -> float:
        if self.done is None or self.end is None:
            return 0.0
        return self.end - self.done


def _ts(line: str) -> float | None:
    m = _TS.match(line)
    if not m:
        return None
    return datetime.fromisoformat(m.group(1)).timestamp()


def parse(text: str) -> list[TaskSpan]:
    spans: list[TaskSpan] = []
    current: TaskSpan | None = None
    for line in text.splitlines():
        ts = _ts(line)
        if ts is None:
            continue
        if m := _START.search(line):
            current = TaskSpan(m.group(1), ts)
            spans.append(current)
        elif current is None:
            continue
        elif "::endgroup::" in line and current.pre_end is None:
            current.pre_end = ts
        elif "Done. Returned value was" in line and current.done is None:
            current.done = ts
        elif m := _END.search(line):
            current.end = ts
            current = None
    return spans


def stage_of(task_id: str) -> str:
    """Platform task id → stage name (the peers' dbt tasks count as 'dbt': per-model tasks, or the
    watcher's producer and sensors)."""
    head = task_id.split("__", 1)[0]
    if task_id.startswith("dbt.") or task_id == "collect_build":
        return "dbt"
    return {"transform": "dbt", "load_raw": "load", "gate": "gx_gate", "extract": "extract"}.get(head, head)


def breakdown(text: str, process_wall_s: float) -> dict[str, float]:
    """Seconds per category for one ``airflow dags test`` process."""
    spans = parse(text)
    out: dict[str, float] = {}
    if not spans:
        out["airflow_process_fixed"] = process_wall_s
        return out
    first = spans[0].start
    last = max(s.end or s.done or s.pre_end or s.start for s in spans)
    out["airflow_process_fixed"] = max(0.0, process_wall_s - (last - first))
    startup = finish = 0.0
    prev_end = None
    for s in spans:
        startup += s.startup_s
        finish += s.finish_s
        if prev_end is not None:
            finish += max(0.0, s.start - prev_end)  # scheduling loop between tasks
        prev_end = s.end or s.done or s.pre_end or s.start
        stage = stage_of(s.task_id)
        out[stage] = out.get(stage, 0.0) + s.work_s
    out["airflow_task_start"] = startup
    out["airflow_task_finish"] = finish
    # the very first task pays for the in-process execution API (FastAPI app) once per process
    out["_first_task_start"] = spans[0].startup_s
    out["_tasks"] = float(len(spans))
    return out

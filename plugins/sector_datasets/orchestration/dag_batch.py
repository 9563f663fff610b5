"""Run several DAGs with Airflow's own ``dag.test()`` in ONE interpreter — what ``cli run`` does.

One ``airflow dags test`` process per sector paid, for every sector, Python + Airflow imports, a
parse of the DAG file with a sync of every DAG to the metadata DB, the in-process execution API's
start-up on its first task and Great Expectations' import: ≈20 s × 11 DAGs before any work
(docs/benchmarks.md). Here they are paid once. Each DAG still runs through ``dag.test()``, i.e. the
same DagRun, scheduling loop, task runner and in-process execution API as ``airflow dags test``.

Two halves:

* :func:`main` (``python -m sector_datasets.orchestration.dag_batch [--pool NAME SLOTS DESCRIPTION] DAG_ID ...``,
  started with :func:`sector_datasets.orchestration.airflow_env.airflow_environment`) migrates the metadata DB,
  sets the pool, runs the DAGs in the given order and frames each one's output with marker
  lines. A DAG that fails or raises does not stop the next. With no DAG id it only prepares
  (:func:`prepare_airflow`, what ``cli ui`` needs).
* :func:`run_dags` (the CLI's side) starts that process, splits its output into one log file per
  DAG and yields an event per DAG begun and ended. If the interpreter dies inside a DAG (a crash
  no ``except`` can catch), that DAG is failed and a new interpreter runs the remaining ones.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

#: Prefix of the marker lines; nothing Airflow or a task logs starts with it.
MARK = "@@sector_datasets.orchestration.dag_batch"


@dataclass(frozen=True)
class DagBegun:
    dag_id: str


@dataclass(frozen=True)
class DagEnded:
    dag_id: str
    state: str  # the DagRun's state ("success", "failed"), or "error" when it did not run
    seconds: float  # since the previous DAG ended (the first one includes the interpreter start)
    log_path: Path

    @property
    def ok(self) -> bool:
        return self.state == "success"


# ---------------------------------------------------------------------------------------------
# the CLI's side
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolSpec:
    """A pool the runner creates or updates before the first DAG (what ``airflow pools set`` does)."""

    name: str
    slots: int
    description: str

    def argv(self) -> list[str]:
        return ["--pool", self.name, str(self.slots), self.description]


def _runner(pool: PoolSpec | None, dag_ids: list[str]) -> list[str]:
    return [sys.executable, "-m", "sector_datasets.orchestration.dag_batch", *(pool.argv() if pool else []), *dag_ids]


def prepare_airflow(env: Mapping[str, str], pool: PoolSpec) -> subprocess.CompletedProcess:
    """Only the metadata DB migration and ``pool``, no DAG (one Airflow interpreter)."""
    return subprocess.run(_runner(pool, []), env=dict(env), capture_output=True, text=True, check=False)


def run_dags(
    env: Mapping[str, str], dag_ids: list[str], logs_dir: Path, pool: PoolSpec | None = None
) -> Iterator[DagBegun | DagEnded]:
    """Run ``dag_ids`` in order in one Airflow interpreter; write ``logs_dir/<dag_id>.log`` each.

    The interpreter first migrates the metadata DB (idempotent) and sets ``pool``: in the same
    process as the DAGs, not as ``airflow db migrate`` / ``airflow pools set`` commands, each of
    which paid Airflow's import and CLI start-up again (≈6 s apiece on this machine).
    """
    logs_dir.mkdir(parents=True, exist_ok=True)
    remaining = list(dag_ids)
    while remaining:
        proc = subprocess.Popen(
            _runner(pool, remaining),
            # unbuffered: the markers must stay in order with what Airflow logs to stderr
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
            # its own process group, so that stopping us stops it and whatever it started (dbt)
            start_new_session=True,
        )
        try:
            done = yield from _follow(proc, remaining, logs_dir)
        finally:
            stop_group(proc)
        remaining = [d for d in remaining if d not in done]


def stop_group(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """End the runner and its children: SIGTERM to the group (Airflow marks its task instances
    failed), SIGKILL after ``grace_s``. A no-op once the runner has exited on its own."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            continue


def _follow(proc: subprocess.Popen, expected: list[str], logs_dir: Path) -> Iterator[DagBegun | DagEnded]:
    """Split one runner process' output per DAG; returns the DAG ids it finished (or failed)."""
    done: list[str] = []
    pending: list[str] = []  # output not yet attributed to a DAG (start-up, between DAGs)
    current: str | None = None
    log: IO[str] | None = None
    last = time.monotonic()
    assert proc.stdout is not None
    for line in proc.stdout:
        if not line.startswith(MARK):
            (log.write(line) if log else pending.append(line))
            continue
        kind, dag_id, *rest = line[len(MARK):].split()
        if kind == "begin":
            current = dag_id
            log = open(logs_dir / f"{dag_id}.log", "w", encoding="utf-8")  # noqa: SIM115 - closed at "end"
            log.writelines(pending)
            pending = []
            yield DagBegun(dag_id)
        elif kind == "end" and log is not None:
            log.close()
            log, current = None, None
            now = time.monotonic()
            done.append(dag_id)
            yield DagEnded(dag_id, rest[0] if rest else "error", now - last, logs_dir / f"{dag_id}.log")
            last = now
    code = proc.wait()
    if log is not None and current is not None:  # the interpreter died inside a DAG
        log.writelines(pending)
        log.write(f"\n{MARK} the Airflow interpreter exited with code {code} while running {current}\n")
        log.close()
        done.append(current)
        yield DagEnded(current, "error", time.monotonic() - last, logs_dir / f"{current}.log")
    elif done and pending:  # shutdown messages after the last DAG belong to its log
        with open(logs_dir / f"{done[-1]}.log", "a", encoding="utf-8") as tail:
            tail.writelines(pending)
    elif not done:  # died before its first DAG (import or configuration error): every DAG fails
        for dag_id in expected:
            path = logs_dir / f"{dag_id}.log"
            path.write_text("".join(pending) + f"\n{MARK} the Airflow interpreter exited with code {code} "
                            f"before running {dag_id}\n", encoding="utf-8")
            yield DagBegun(dag_id)
            yield DagEnded(dag_id, "error", time.monotonic() - last, path)
        done = list(expected)
    return done


# ---------------------------------------------------------------------------------------------
# the Airflow interpreter's side
# ---------------------------------------------------------------------------------------------


def _mark(*words: object) -> None:
    print(MARK, *words, flush=True)


def _parse_dags() -> tuple[dict, dict[str, str]]:
    """Every DAG of the configured bundles, parsed once (``dag.test()`` syncs them to the DB)."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag

    manager = DagBundlesManager()
    manager.sync_bundles_to_db()
    dags: dict = {}
    errors: dict[str, str] = {}
    for bundle in manager.get_all_dag_bundles():
        bundle.initialize()
        bag = BundleDagBag(dag_folder=bundle.path, bundle_path=bundle.path, bundle_name=bundle.name)
        dags.update(bag.dags)
        errors.update({str(k): str(v) for k, v in bag.import_errors.items()})
    return dags, errors


def _test_one(dag_id: str, dags: dict, import_errors: dict[str, str]) -> str:
    """``airflow dags test DAG_ID``'s work for one DAG; the DagRun's state (or "error")."""
    from airflow.sdk import timezone

    dag = dags.get(dag_id)
    if dag is None:
        print(f"Dag {dag_id!r} could not be found; either it does not exist or it failed to parse.", flush=True)
        for path, error in import_errors.items():
            print(f"import error in {path}:\n{error}", flush=True)
        return "error"
    try:
        dr = dag.test(logical_date=timezone.utcnow())
    except (Exception, SystemExit):  # one sector's crash must not stop the others
        print(f"dag.test() of {dag_id} raised:\n{traceback.format_exc()}", flush=True)
        return "error"
    return str(getattr(dr.state, "value", dr.state)) if dr is not None else "error"


def _prepare(pool: PoolSpec | None) -> None:
    """``airflow db migrate`` (a no-op when the schema is current) and ``airflow pools set``."""
    from airflow.models.pool import Pool
    from airflow.utils import db

    db.upgradedb()
    if pool is not None:
        Pool.create_or_update_pool(pool.name, pool.slots, pool.description, include_deferred=False)


def main(argv: list[str]) -> int:
    from airflow.utils.providers_configuration_loader import providers_configuration_loaded

    pool = None
    if argv[:1] == ["--pool"]:
        pool, argv = PoolSpec(argv[1], int(argv[2]), argv[3]), argv[4:]
    dag_ids = argv

    @providers_configuration_loaded  # as every `airflow` CLI command
    def run() -> int:
        _prepare(pool)
        if not dag_ids:
            return 0
        dags, import_errors = _parse_dags()
        failed = 0
        for dag_id in dag_ids:
            _mark("begin", dag_id)
            state = _test_one(dag_id, dags, import_errors)
            failed += state != "success"
            _mark("end", dag_id, state)
        return 1 if failed else 0

    return run()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))

"""Scale-out for real: every sector DAG on CeleryExecutor with two workers, as separate processes.

A fresh PostgreSQL metadata database, the Redis broker, an api-server, a scheduler, a
dag-processor and two ``airflow celery worker`` processes (``w1-…@host``, ``w2-…@host``), started
by ``devtools.scaleout.CeleryCluster`` (see tests/scale/conftest.py). Every sector DAG is
unpaused and triggered; the cross-sector DAG, scheduled on its inputs' Assets, once they are
published. The curated tables must equal the in-process DuckDB build (``built_platform``) row
for row. The fixture prints the wall times (start, run, stop) and the cluster's peak memory.
"""

from __future__ import annotations

import pytest

from sector_datasets.registry import load_registry
from devtools.compare import compare_curated_duckdb
from sector_datasets.settings import get_settings
from sector_datasets.orchestration.writer_pool import WRITER_POOL

pytestmark = [pytest.mark.airflow, pytest.mark.slow, pytest.mark.timeout(3600)]

REGISTRY = load_registry(get_settings().registry_dir)


def test_every_sector_dag_run_succeeds(celery_cluster, scale_out_run):
    assert set(scale_out_run.states) == {s.dag_id for s in REGISTRY.sectors.values()}
    assert not scale_out_run.failed, (
        f"runs not successful: {scale_out_run.failed}\n{celery_cluster.failed_task_logs()}"
    )
    # A first version is published by policy, never held: each dataset's decision branch
    # (approve__ → serve__ / reject__) is skipped, and every other task succeeded.
    decision = ("approve__", "serve__", "reject__")
    not_done = [f"{t['dag_id']}.{t['task_id']}={t['state']}" for t in scale_out_run.task_workers
                if t["state"] != ("skipped" if t["task_id"].startswith(decision) else "success")]
    assert not not_done, not_done


def test_tasks_ran_on_both_workers(celery_cluster, scale_out_run):
    used = scale_out_run.workers_used
    expected = {celery_cluster.worker_name(i).split("@")[0] for i in (1, 2)}
    assert {w.split("@")[0] for w in used} == expected, used
    ran = [t for t in scale_out_run.task_workers if t["state"] == "success"]
    assert all(t["worker"] for t in ran), [t for t in ran if not t["worker"]][:5]


def test_warehouse_writers_respected_the_pool(celery_cluster, scale_out_run, warehouse_kind):
    """DuckDB allows one writer: the one-slot pool must have serialised every writing task.
    PostgreSQL takes several at once, up to the pool's slots."""
    writers = [t for t in scale_out_run.task_workers if t["pool"] == WRITER_POOL and t["start"] and t["end"]]
    assert len(writers) >= len(REGISTRY.datasets), "load/transform/gate/publish tasks should all use the pool"
    events = sorted([(t["start"], 1) for t in writers] + [(t["end"], -1) for t in writers])
    running = peak = 0
    for _, step in events:  # an end at the same instant as a start sorts first (-1 < 1)
        running += step
        peak = max(peak, running)
    slots = celery_cluster.pool_slots
    if warehouse_kind == "duckdb":
        assert slots == 1
    assert peak <= slots, f"{peak} warehouse writers at once with {slots} pool slot(s)"


def test_every_published_dataset_emitted_its_asset_event(celery_cluster, scale_out_run):
    events = celery_cluster.asset_events()
    missing = [ds for ds in REGISTRY.datasets if events.get(f"curated.{ds}", 0) < 1]
    assert not missing, f"no Asset event for {missing}"


def test_curated_tables_equal_the_in_process_duckdb_run_row_for_row(celery_cluster, scale_out_run, built_platform):
    """The reference is ``built_platform``: every sector built in-process on DuckDB, without Airflow."""
    assert not scale_out_run.failed
    reference = built_platform / "warehouse.duckdb"
    if celery_cluster.warehouse == "postgres":
        from devtools.compare import compare_curated

        diffs = compare_curated(reference, celery_cluster.warehouse_dsn, list(REGISTRY.datasets))
    else:
        diffs = compare_curated_duckdb(reference, celery_cluster.home / "warehouse.duckdb", list(REGISTRY.datasets))
    assert not diffs, diffs

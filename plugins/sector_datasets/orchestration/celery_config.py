"""Celery configuration for this project's CeleryExecutor deployments (compose and the scale-out test).

    AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS=sector_datasets.orchestration.celery_config.CELERY_CONFIG

Airflow's defaults plus:

* ``result_extended``: ``celery_taskmeta`` keeps the task name, arguments and the **worker** that
  ran it (``ti.hostname`` cannot tell two workers on one machine apart; this can).
* A warm start for task processes: when a Celery worker starts (``worker_init``, in the worker's
  main process, before its pool forks) it imports the pipeline and Great Expectations once.
  Airflow runs every task in a process forked from the pool, so each gate task inherits the
  imports instead of paying them again (≈5–13 s per task on 2 loaded cores). Nothing is
  connected and no thread is started: only modules are loaded. Set
  ``SECTOR_DATASETS_CELERY_PRELOAD=0`` to turn it off.
"""

from __future__ import annotations

import logging
import time

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

from sector_datasets.settings import get_settings

CELERY_CONFIG = {**DEFAULT_CELERY_CONFIG, "result_extended": True}

PRELOAD = (
    "sector_datasets.orchestration.stages",
    "sector_datasets.load.raw",
    "sector_datasets.publish.wap",
    "sector_datasets.gate.validate",
    "duckdb",
    "great_expectations",
)


@worker_init.connect(weak=False)
def preload_task_modules(**_kwargs) -> None:
    if not get_settings().celery_preload:
        return
    import importlib

    log = logging.getLogger(__name__)
    started = time.monotonic()
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a task would fail on the same import and say why; never block the worker
            log.warning("could not preload %s: %s", name, exc)
    log.info("preloaded %s in %.1fs", ", ".join(PRELOAD), time.monotonic() - started)

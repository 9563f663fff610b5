"""A real CeleryExecutor deployment for the scale-out tests (one per module), stopped even on failure.

PostgreSQL (metadata DB, Celery results) and Redis (broker) must answer on localhost; `make test`
starts them (bin/services). The cluster's process logs are under the test's tmp dir and their
tails are attached to any failing test's report.
"""

from __future__ import annotations

import os
import socket

import pytest

from devtools.scaleout import DEFAULT_PG_URL, DEFAULT_REDIS_URL, PG_URL_ENV, REDIS_URL_ENV, CeleryCluster, format_result
from urllib.parse import urlsplit

_CLUSTERS: list[CeleryCluster] = []

#: Which warehouse the cluster's tasks write to: "postgres" (the default here: the scale-out mode,
#: several workers write at once) or "duckdb" (the embedded default of `make run`: one writer at a
#: time through the one-slot pool; passed on this machine too, run it with this variable).
WAREHOUSE_ENV = "SECTOR_DATASETS_SCALEOUT_WAREHOUSE"


def _answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def require_services() -> None:
    pg = os.environ.get(PG_URL_ENV, DEFAULT_PG_URL)
    redis = os.environ.get(REDIS_URL_ENV, DEFAULT_REDIS_URL)
    missing = [name for name, url, port in (("PostgreSQL", pg, 5432), ("Redis", redis, 6379)) if not _answers(url, port)]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not answering on localhost: start them with `bin/services` "
                    f"(what `make test` does), or point {PG_URL_ENV} / {REDIS_URL_ENV} at running servers")


@pytest.fixture(scope="module")
def warehouse_kind() -> str:
    kind = os.environ.get(WAREHOUSE_ENV, "postgres").strip().lower()
    assert kind in ("duckdb", "postgres"), f"{WAREHOUSE_ENV} must be duckdb or postgres, got {kind!r}"
    return kind


@pytest.fixture(scope="module")
def celery_cluster(built_platform, warehouse_kind, tmp_path_factory):
    """Scheduler, dag-processor, api-server and two Celery workers on a fresh PostgreSQL database.

    Depends on ``built_platform`` (the in-process DuckDB reference run) so that it is built
    before the cluster starts, not while the cluster's processes compete for the two cores.
    """
    require_services()
    cluster = CeleryCluster(tmp_path_factory.mktemp("scale_out"), workers=2, concurrency=2, warehouse=warehouse_kind)
    _CLUSTERS.append(cluster)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        _CLUSTERS.remove(cluster)
        print(f"\nscale-out cluster timings: " + ", ".join(f"{k}={v:.1f}s" for k, v in cluster.timings.items()))


@pytest.fixture(scope="module")
def scale_out_run(celery_cluster):
    """Every sector DAG triggered once on the cluster, then the cross-sector DAG; waits for all."""
    result = celery_cluster.run_all(timeout_s=1800)
    print("\n" + format_result(result, celery_cluster))
    return result


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _CLUSTERS and "celery_cluster" in getattr(item, "fixturenames", ()):
        for cluster in _CLUSTERS:
            report.sections.append((f"scale-out process logs ({cluster.logs_dir})", cluster.log_tails(60)))

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))


import contextlib
import fcntl
import os
import shutil
import traceback

import pytest

# ----------------------------------------------------------------------------------------------
# Running under pytest-xdist (`make test`: `-n 3 --dist loadscope --no-loadscope-reorder`)
#
# Work units. A module is one unit (as with xdist's loadscope, but a test class is not split off
# its module), and each package below is one unit: a unit's tests run on one worker, in file
# order, so a module- or package-scoped fixture (a sector build, a fault campaign, an Airflow
# server) is built once, never once per worker, and the modules whose tests build on each other
# (recovery, write-audit-publish, the fault campaigns) keep their order. The units are made by
# the scheduler below from the node ids (xdist_group marks are not used: with pytest 9.2 and
# pytest-xdist 3.8.0, --dist loadgroup silently ignores them, pytest-xdist issue #1386).
PACKAGE_UNITS = {
    # one package-scoped transport platform + Airflow standalone + Chromium for both modules,
    # which also write fixed paths under test-artifacts/ui/
    "tests/ui/": "tests/ui",
    # the package-scoped `sample` platform of tests/report/conftest.py
    "tests/report/": "tests/report",
}
# Order. The heaviest units are handed out first (longest processing time first), so that the
# long scale-out run starts at once and the small modules fill the gaps at the end. Seconds of
# one serial run on a loaded machine (`pytest --durations`, setup included); a unit not listed
# counts 0 and keeps its collection order after the listed ones. Only the order depends on them.
UNIT_COST_S = {
    "tests/scale/test_celery_scale_out.py": 480,  # built_platform (≈90 s) + the Celery cluster run
    "tests/faults/test_transport_faults.py": 220,
    "tests/test_bench_smoke.py": 175,
    "tests/faults/test_environment_faults.py": 90,
    "tests/faults/test_semantic_faults.py": 100,
    "tests/warehouse/test_postgres_warehouse.py": 85,
    "tests/e2e/test_sector_dag_through_airflow.py": 77,
    "tests/recovery/test_idempotent_rerun.py": 63,
    "tests/e2e/test_gate_failure_through_airflow.py": 53,
    "tests/e2e/test_approval_through_airflow.py": 140,  # airflow standalone + four transport DAG runs
    "tests/review": 55,
    "tests/ui": 50,
    "tests/gate/test_duckdb_workaround.py": 40,
    "tests/report": 40,  # test_publish_docs_cli.py + built_platform, built by then by the scale-out worker
    "tests/test_write_audit_publish.py": 33,
}


def work_unit(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    return next((unit for prefix, unit in PACKAGE_UNITS.items() if path.startswith(prefix)), path)


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # before xdist's own, which would return plain loadscope
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return UnitScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """On an xdist worker, the units heaviest first (the scheduler hands them out in collection
    order with --no-loadscope-reorder). A stable sort on the unit only: inside a unit the tests
    keep their file order. A serial run keeps the plain file order."""
    if not hasattr(config, "workerinput"):
        return
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        first.setdefault(work_unit(item.nodeid), index)
    items.sort(key=lambda item: (-UNIT_COST_S.get(work_unit(item.nodeid), 0), first[work_unit(item.nodeid)]))


#: The fault catalogue's parts sent by the workers (tests/faults/conftest.py prints it itself in a
#: serial run; under xdist the controller, which loads no conftest below tests/, prints it here).
_FAULT_CATALOGUE: dict = {}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.faults.summary import WORKEROUTPUT_KEY, merge

    part = getattr(node, "workeroutput", {}).get(WORKEROUTPUT_KEY)
    if part:
        merge(_FAULT_CATALOGUE, part)


def pytest_sessionfinish(session):
    if _FAULT_CATALOGUE:
        from tests.faults.summary import write_summary

        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        write_summary(reporter.write_line if reporter else print, _FAULT_CATALOGUE, session.config.getoption("verbose") > 0)


# ----------------------------------------------------------------------------------------------
# The built platform


@contextlib.contextmanager
def _home(home: Path):
    previous = os.environ.get("SECTOR_DATASETS_HOME")
    os.environ["SECTOR_DATASETS_HOME"] = str(home)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SECTOR_DATASETS_HOME", None)
        else:
            os.environ["SECTOR_DATASETS_HOME"] = previous


def _build(home: Path) -> None:
    from sector_datasets.orchestration import inline

    with _home(home):
        outcome = inline.run_all("session_build")
    failed = {
        f"{sector}/{ds}": str(result)[:500]
        for sector, datasets in outcome.items()
        for ds, result in datasets.items()
        if isinstance(result, Exception)
    }
    assert not failed, f"datasets failed their gate on the real data: {failed}"


def _build_once_for_all_workers(tmp_path_factory) -> Path:
    """Under xdist: the first worker that asks builds the platform in the run's shared temp dir
    (the parent of every worker's basetemp), the others wait on the lock and reuse it.
    A failed build is recorded, so the other workers fail with its message instead of rebuilding."""
    root = tmp_path_factory.getbasetemp().parent
    pristine, done, failed = root / "built_platform_shared", root / "built_platform_shared.done", root / "built_platform_shared.failed"
    with open(root / "built_platform_shared.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if failed.exists():
                pytest.fail(f"the shared built platform failed in another worker:\n{failed.read_text()}", pytrace=False)
            if not done.exists():
                pristine.mkdir()
                try:
                    _build(pristine)
                except BaseException:
                    failed.write_text(traceback.format_exc())
                    raise
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return pristine


@pytest.fixture(scope="session")
def built_platform(tmp_path_factory):
    """Every registered sector built once, in-process through the real stages, in a private home.

    Yields the home folder; the environment points the stages at it for the whole session.
    Under pytest-xdist the platform is built once for all workers (see above) and every worker
    gets its own copy of it, so a worker's home is still private to it.
    """
    home = tmp_path_factory.mktemp("built_platform")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pristine = _build_once_for_all_workers(tmp_path_factory)
        home.rmdir()
        shutil.copytree(pristine, home, symlinks=True)
    else:
        _build(home)
    with _home(home):
        yield home

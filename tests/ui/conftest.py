"""A real transport platform (the pipeline's own stages), a private Airflow, a headless Chromium.

``transport_platform`` runs the transport sector twice through the real stages (replayed HTTP,
DuckDB, dbt, Great Expectations, publish, report): a clean run that publishes everything, then a
run on a faulty airports payload (the fixture of tests/test_write_audit_publish.py: a duplicate
airport id and a latitude of 95) whose gate fails, so the latest run has a failing dataset.

``airflow`` starts ``airflow standalone`` in its own process group *before* the pipeline runs,
so the two overlap, and stops that group (never any other Airflow on the machine).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from sector_datasets.settings import REPO_ROOT, Settings, get_settings
from tests.helpers import GSO_MONTHLY_WORKBOOKS, copy_snapshot
from tests.ui.airflow_server import AirflowServer, start_airflow

ARTIFACTS = REPO_ROOT / "test-artifacts" / "ui"
CHROMIUM = Path(os.environ.get("SECTOR_DATASETS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TRANSPORT_FILES = [
    "transport/hanoi_gtfs/routes.txt",
    "transport/hanoi_gtfs/stops.txt",
    "transport/hanoi_gtfs/trips.txt",
    "transport/openflights/airports_vietnam.dat",
    "transport/openflights/routes_touching_vietnam.dat",
    *GSO_MONTHLY_WORKBOOKS,
]
AIRPORTS = "transport/openflights/airports_vietnam.dat"
GOOD_RUN, BAD_RUN = "ui_good_run_1", "ui_bad_run_2"
TIMINGS: dict[str, float] = {}


@dataclass
class Platform:
    home: Path
    settings: Settings
    outcome: dict


@pytest.fixture(scope="package")
def ui_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ui_platform")


@pytest.fixture(scope="package")
def platform_env(ui_home, tmp_path_factory):
    """Point the stages (which read the environment) at the private home for the package."""
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("ui_snapshot"))
    env = {"SECTOR_DATASETS_HOME": str(ui_home), "SECTOR_DATASETS_SNAPSHOT_DIR": str(snapshot)}
    mp = pytest.MonkeyPatch()
    for key, value in env.items():
        mp.setenv(key, value)
    for key in ("SECTOR_DATASETS_EXPORTS", "SECTOR_DATASETS_WAREHOUSE", "SECTOR_DATASETS_REPLAY_URL"):
        mp.delenv(key, raising=False)
    yield snapshot
    mp.undo()


@pytest.fixture(scope="package")
def airflow_server(ui_home, platform_env):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = start_airflow(get_settings(), ui_home / "no-dags", ARTIFACTS / "airflow-standalone.log")
    TIMINGS["airflow_started_at"] = time.monotonic()
    yield server
    started = time.monotonic()
    server.stop()
    TIMINGS["airflow_stop_s"] = time.monotonic() - started
    (ARTIFACTS / "timings.txt").write_text("".join(f"{k}: {v:.1f}\n" for k, v in TIMINGS.items() if k.endswith("_s")))


@pytest.fixture(scope="package")
def transport_platform(ui_home, platform_env) -> Platform:
    from sector_datasets.orchestration import inline

    snapshot = platform_env
    started = time.monotonic()
    good = inline.run_sector("transport", GOOD_RUN)
    assert all(isinstance(v, dict) for v in good.values()), good
    original = (snapshot / AIRPORTS).read_text(encoding="utf-8")
    lines = original.splitlines()
    fields = lines[1].split(",")
    fields[-8] = "95.0"  # latitude out of range
    (snapshot / AIRPORTS).write_text("\n".join([lines[0], ",".join(fields), *lines[2:], lines[0]]) + "\n", encoding="utf-8")
    try:
        bad = inline.run_sector("transport", BAD_RUN)
    finally:
        (snapshot / AIRPORTS).write_text(original, encoding="utf-8")
    TIMINGS["pipeline_two_runs_s"] = time.monotonic() - started
    assert not isinstance(bad["transport_bus_routes"], Exception)
    assert isinstance(bad["transport_airports"], Exception), bad
    return Platform(ui_home, get_settings(), bad)


@pytest.fixture(scope="package")
def airflow(airflow_server: AirflowServer, transport_platform) -> AirflowServer:
    """The private Airflow, healthy, serving the platform's reports through the plugin."""
    airflow_server.wait_healthy()
    TIMINGS["airflow_healthy_after_s"] = time.monotonic() - TIMINGS["airflow_started_at"]
    return airflow_server


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

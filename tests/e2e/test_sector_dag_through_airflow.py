"""One full sector DAG run through real Airflow (`airflow dags test`), twice.

Transport needs no shared reference data, so its DAG is self-contained. Expected row counts are
computed here from the real snapshot files, independently of the dbt models.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.helpers import SNAPSHOT_DIR, platform_env, run_cli

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

DATASETS = ["transport_bus_routes", "transport_bus_stop_points", "transport_airports", "transport_air_routes",
            "transport_passenger_freight_monthly_by_mode"]


def _expected_rows() -> dict[str, int]:
    gtfs = SNAPSHOT_DIR / "transport" / "hanoi_gtfs"
    with open(gtfs / "routes.txt", newline="", encoding="utf-8") as f:
        routes = {r["route_id"] for r in csv.DictReader(f)}
    with open(gtfs / "stops.txt", newline="", encoding="utf-8") as f:
        points = {(r["stop_lat"], r["stop_lon"]) for r in csv.DictReader(f)}
    flights = SNAPSHOT_DIR / "transport" / "openflights"
    airports = [l for l in (flights / "airports_vietnam.dat").read_text(encoding="utf-8").splitlines() if l.strip()]
    with open(flights / "routes_touching_vietnam.dat", newline="", encoding="utf-8") as f:
        air_routes = {(r[0], r[2], r[4]) for r in csv.reader(f) if r}
    return {
        "transport_bus_routes": len(routes),
        "transport_bus_stop_points": len(points),
        "transport_airports": len(airports),
        "transport_air_routes": len(air_routes),
    }


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("platform")


@pytest.fixture(scope="module")
def first_run(home):
    proc = run_cli(home, "run", "--sector", "transport")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_the_dag_run_succeeds_in_airflow(home, first_run):
    runs = run_cli(home, "airflow", "dags", "list-runs", "sector_transport", "-o", "json")
    assert runs.returncode == 0, runs.stderr[-2000:]
    payload = next(line for line in runs.stdout.splitlines() if line.startswith("[{"))
    states = [r["state"] for r in json.loads(payload)]
    assert states == ["success"]


def test_every_dataset_is_published_with_the_row_count_of_the_real_data(home, first_run):
    expected = _expected_rows()
    summary = first_run.stdout
    for dataset, rows in expected.items():
        assert re.search(rf"transport\s+{dataset}\s+{rows}\s+passed\s+v1", summary), summary
        current = home / "exports" / "transport" / dataset / "current"
        assert current.is_symlink() and current.resolve().name == "v0001"
        metadata = json.loads((current / "metadata.json").read_text())
        assert metadata["row_count"] == rows
        assert metadata["version"] == 1
        assert metadata["validation"]["success"] is True and metadata["validation"]["evaluated"] >= 6
        assert metadata["licence"] and metadata["sources"] and all(s["provenance"] for s in metadata["sources"])
        described = [c for c in metadata["columns"] if c["description"]]
        assert len(described) == len(metadata["columns"]), f"{dataset}: undocumented columns"
        parquet_rows = duckdb.connect().execute(f"select count(*) from read_parquet('{current / (dataset + '.parquet')}')").fetchone()[0]
        csv_rows = duckdb.connect().execute(f"select count(*) from read_csv('{current / (dataset + '.csv')}')").fetchone()[0]
        assert parquet_rows == csv_rows == rows


def test_curated_views_and_the_read_only_catalog_agree(home, first_run):
    expected = _expected_rows()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        for dataset, rows in expected.items():
            assert con.execute(f"select count(*) from curated.{dataset}").fetchone()[0] == rows
            assert con.execute(f"select count(*) from curated.{dataset}__v0001").fetchone()[0] == rows
    with duckdb.connect(str(home / "exports" / "catalog.duckdb"), read_only=True) as catalog:
        for dataset, rows in expected.items():
            assert catalog.execute(f"select count(*) from curated.{dataset}").fetchone()[0] == rows


def test_the_report_lists_every_dataset_as_passed(home, first_run):
    html = (home / "reports" / "transport" / "index.html").read_text(encoding="utf-8")
    for dataset in DATASETS:
        assert f'data-dataset="{dataset}" data-gate="passed"' in html


# Airflow's own task-log reader (what the UI's "Logs" tab calls), on the metadata DB of `cli run`.
READ_TASK_LOGS = """
import json, sys
from airflow.models.taskinstance import TaskInstance
from airflow.utils.log.log_reader import TaskLogReader
from airflow.utils.session import create_session
out = {}
with create_session() as session:
    for ti in session.query(TaskInstance).filter_by(dag_id="sector_transport"):
        chunks, _ = TaskLogReader().read_log_chunks(ti, ti.try_number, {"download_logs": True})
        if ti.state == "success":  # a skipped task has no log, in the UI either
            out[ti.task_id] = "\\n".join(str(getattr(c, "event", c)) for c in chunks)
print(json.dumps(out))
"""


def test_the_task_logs_of_cli_run_are_readable_where_the_airflow_ui_reads_them(home, first_run, monkeypatch):
    from sector_datasets.orchestration.airflow_env import airflow_environment
    from sector_datasets.settings import get_settings

    assert "task logs:" in first_run.stdout and "make ui" in first_run.stdout
    monkeypatch.setenv("SECTOR_DATASETS_HOME", str(home))
    env = {**platform_env(home), **airflow_environment(get_settings())}
    proc = subprocess.run([sys.executable, "-c", READ_TASK_LOGS], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    logs = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "dbt | Done. PASS=" in logs["transform"]
    for dataset in DATASETS:  # one gate task validates every dataset, each with its own verdict line
        assert f"dataset {dataset}: gate PASSED" in logs["gate"]
    empty = [task for task, text in logs.items() if "[DAG TEST] starting" not in text]
    # every task that ran: start, extract (one for all sources), load_raw, transform, gate (one for
    # all datasets), a publish per dataset, report (approve/serve/reject are skipped: nothing held)
    ran = {"start", "extract", "load_raw", "transform", "gate", "report"} | {f"publish__{d}" for d in DATASETS}
    assert set(logs) == ran and not empty, (sorted(set(logs) ^ ran), empty)


def test_a_second_run_is_idempotent_and_publishes_no_new_version(home, first_run):
    proc = run_cli(home, "run", "--sector", "transport")
    assert proc.returncode == 0, proc.stdout[-3000:]
    for dataset in DATASETS:
        assert re.search(rf"transport\s+{dataset}\s+\d+\s+passed\s+v1\s", proc.stdout), proc.stdout
        assert not (home / "exports" / "transport" / dataset / "v0002").exists()
    landing_runs = list((home / "landing" / "transport").iterdir())
    assert len(landing_runs) == 2, "each run lands its own immutable folder"

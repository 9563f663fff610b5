"""Shared test helpers: an isolated platform home, and running the CLI / stages inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from sector_datasets.settings import REPO_ROOT

REGISTRY_DIR = REPO_ROOT / "include" / "sectors"
SNAPSHOT_DIR = Path(os.environ.get("SECTOR_DATASETS_SNAPSHOT_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()


def platform_env(home: Path, snapshot_dir: Path = SNAPSHOT_DIR, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "SECTOR_DATASETS_"))}
    env.update(
        SECTOR_DATASETS_HOME=str(home),
        SECTOR_DATASETS_SNAPSHOT_DIR=str(snapshot_dir),
        PYTHONPATH=str(REPO_ROOT / "plugins"),
        **extra,
    )
    return env


def run_cli(
    home: Path, *args: str, snapshot_dir: Path = SNAPSHOT_DIR, timeout: int = 900, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``extra_env``: variables set after the clean-up, e.g. an ``AIRFLOW_CONN_*`` connection."""
    return subprocess.run(
        [sys.executable, "-m", "sector_datasets.cli", *args],
        env=platform_env(home, snapshot_dir, **(extra_env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO_ROOT,
    )


def copy_snapshot(files: list[str], target: Path) -> Path:
    """A private snapshot directory holding copies of the named real files (for fault injection)."""
    for rel in files:
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SNAPSHOT_DIR / rel, dst)
        dst.chmod(0o644)
    return target


def copy_registry(tmp_path: Path) -> Path:
    """A private copy of the real registry (``tmp_path/sectors``) for tests that edit it."""
    target = tmp_path / "sectors"
    target.mkdir()
    for path in REGISTRY_DIR.glob("*.yml"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def edit_yaml(path: Path, change: Callable[[dict], object]) -> None:
    """Load a registry file, let ``change`` mutate it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# A new, valid airport (fresh id and codes): an addition only, which the default publish policy
# publishes on its own — losing or revising a row now waits for the owner's approval (issue 15).
NEW_AIRPORT = ('99901,"Test Airfield","Hanoi","Vietnam","ZQX","VVZQ",21.3,104.1,2100,7,"N","Asia/Saigon",'
               '"airport","OurAirports"')


def with_new_airport(airports_dat: str) -> str:
    """The OpenFlights airports file with :data:`NEW_AIRPORT` appended (26 rows instead of 25)."""
    return airports_dat.rstrip("\n") + "\n" + NEW_AIRPORT + "\n"


# The GSO monthly statistical workbooks that transport's monthly passenger/freight dataset reads
# (one release per workbook; see include/sectors/transport.yml).
GSO_MONTHLY_WORKBOOKS = [f"reference/gso_monthly_statistical_tables/{name}" for name in (
    "2016-12-29-Bieu-2016.xlsx", "2017-12-29-03-Bieu-2017.xlsx", "2019-12-27-03-Bieu-2019.xlsx",
    "2020-12-27-03-Bieu-2020.xlsx", "2021-12-29-03-Bieu-2021-28.12.xlsx", "2022-12-29-03-Bieu-2022.xlsx",
    "2023-12-29-02.Bieu-T12.2023.xlsx", "2024-12-29-02.Bieu-T12.2024.xlsx", "2025-02-28-Bieu-T2.2025-1.xlsx",
)]
TRANSPORT_FILES = ["transport/openflights/airports_vietnam.dat", "transport/openflights/routes_touching_vietnam.dat",
                   "transport/hanoi_gtfs/routes.txt", "transport/hanoi_gtfs/stops.txt", "transport/hanoi_gtfs/trips.txt",
                   *GSO_MONTHLY_WORKBOOKS]
AIRPORTS_DAT = "transport/openflights/airports_vietnam.dat"


def revise_airport_latitude(snapshot: Path, line: int) -> None:
    """SYNTHETIC edit of a private copy of the real airports file: line ``line``'s latitude + 0.25°
    (still a valid latitude: a revision of a past value, not an error)."""
    path = snapshot / AIRPORTS_DAT
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[line].split(",")
    fields[-8] = f"{float(fields[-8]) + 0.25:.6f}"
    lines[line] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


PG_ADMIN_DSN = os.environ.get("SECTOR_DATASETS_TEST_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def private_pg_database(prefix: str) -> Iterator[str]:
    """A throwaway PostgreSQL database for one test module: yields its DSN, drops it afterwards.
    Use as ``yield from private_pg_database("sd_x")`` in a fixture. PostgreSQL not answering
    fails the test (``make test`` starts it), never skips it."""
    import psycopg2

    from sector_datasets.warehouse.pg_connection import with_dbname

    try:
        psycopg2.connect(PG_ADMIN_DSN, connect_timeout=5).close()
    except psycopg2.OperationalError as exc:
        pytest.fail(f"PostgreSQL does not answer at {PG_ADMIN_DSN} (.ci/run starts it): {exc}")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    yield with_dbname(PG_ADMIN_DSN, name)
    con = psycopg2.connect(PG_ADMIN_DSN, connect_timeout=10)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        con.close()

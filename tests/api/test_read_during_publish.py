"""Requests issued while a version is being served all see one whole version.

A private transport platform: v1 published, then a (SYNTHETIC) revised airport latitude makes v2,
held for approval. Readers hammer ``latest`` while another process approves v2 (serving it), rolls
back to v1 and unpins, several times: every answer must be exactly one version's rows, as that
version's own Parquet file holds them, under the version number it names.
"""

from __future__ import annotations

import threading

import duckdb
import pytest
from fastapi.testclient import TestClient

from sector_datasets.api.app import create_api
from sector_datasets.settings import get_settings
from sector_datasets.state import layout
from tests.helpers import TRANSPORT_FILES, copy_snapshot, revise_airport_latitude, run_cli

pytestmark = pytest.mark.slow

DS, SECTOR = "transport_airports", "transport"


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    from sector_datasets.orchestration import inline

    home = tmp_path_factory.mktemp("api_publish_home")
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("api_publish_snapshot"))
    mp = pytest.MonkeyPatch()
    mp.setenv("SECTOR_DATASETS_HOME", str(home))
    mp.setenv("SECTOR_DATASETS_SNAPSHOT_DIR", str(snapshot))
    mp.setenv("SECTOR_DATASETS_APPROVALS", "cli")
    try:
        assert all(isinstance(v, dict) for v in inline.run_sector(SECTOR, "api_run_1").values())
        revise_airport_latitude(snapshot, 3)
        inline.run_sector(SECTOR, "api_run_2")
        yield home, snapshot, get_settings()
    finally:
        mp.undo()


def _rows_of(settings, version: int) -> list[tuple]:
    folder = layout.version_dir(settings.exports_dir, SECTOR, DS, version)
    return duckdb.connect().execute(
        f"SELECT airport_id, latitude FROM read_parquet('{layout.parquet_file(folder, DS)}') ORDER BY airport_id"
    ).fetchall()


def test_a_held_version_is_not_readable_until_a_person_approves_it(platform):
    _, _, settings = platform
    client = TestClient(create_api(settings.exports_dir, settings.reports_dir))
    held = client.get(f"/datasets/{DS}/versions/2/rows")
    assert held.status_code == 404 and "awaits its owner's approval" in held.json()["error"]["message"]
    versions = client.get(f"/datasets/{DS}/versions").json()
    assert versions["latest"] == 1
    assert [(v["version"], v["readable"]) for v in versions["versions"]] == [(1, True), (2, False)]
    assert client.get(f"/datasets/{DS}/rows").headers["x-dataset-version"] == "1"


def test_every_request_during_serving_sees_one_whole_version(platform):
    home, snapshot, settings = platform
    expected = {1: _rows_of(settings, 1), 2: _rows_of(settings, 2)}
    assert expected[1] != expected[2] and len(expected[1]) == len(expected[2])
    client = TestClient(create_api(settings.exports_dir, settings.reports_dir))
    seen: list[tuple[int, list[tuple]]] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            response = client.get(f"/datasets/{DS}/rows", params={"columns": "airport_id,latitude", "limit": 1000})
            if response.status_code != 200:
                failures.append(f"{response.status_code}: {response.text[:300]}")
                continue
            body = response.json()
            seen.append((body["version"], [(r["airport_id"], r["latitude"]) for r in body["rows"]]))

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        commands = [("approve", DS, "--by", "api-test")]
        for _ in range(3):
            commands += [("rollback", DS, "1", "--reason", "api test"), ("unpin", DS)]
        for command in commands:
            proc = run_cli(home, *command, snapshot_dir=snapshot)
            assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not failures, failures[:3]
    assert {v for v, _ in seen} == {1, 2}, "the readers saw both versions being served"
    torn = [(v, rows) for v, rows in seen if [(a, float(lat)) for a, lat in expected[v]] != rows]
    assert not torn, f"{len(torn)} of {len(seen)} answers were not one whole version: {torn[0]}"

"""Write–audit–publish through the real stages (replayed HTTP, DuckDB, dbt, GX, publish).

A bad payload (an injected duplicate key and an out-of-range latitude — a fault-test fixture
derived from the real OpenFlights file) must fail the gate, publish nothing, and leave the last
good version intact and readable. A reader started during a publish sees one complete version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from sector_datasets.orchestration import inline

from sector_datasets.orchestration import stages
from tests.helpers import GSO_MONTHLY_WORKBOOKS, copy_snapshot, with_new_airport

TRANSPORT_FILES = [
    "transport/hanoi_gtfs/routes.txt",
    "transport/hanoi_gtfs/stops.txt",
    "transport/hanoi_gtfs/trips.txt",
    "transport/openflights/airports_vietnam.dat",
    "transport/openflights/routes_touching_vietnam.dat",
    *GSO_MONTHLY_WORKBOOKS,
]
AIRPORTS = "transport/openflights/airports_vietnam.dat"


def run_sector(run_id: str) -> dict[str, dict | Exception]:
    return inline.run_sector("transport", run_id)


def exports_fingerprint(exports: Path, dataset: str) -> tuple[str, bytes, bytes]:
    current = exports / "transport" / dataset / "current"
    resolved = current.resolve()
    return resolved.name, (resolved / f"{dataset}.parquet").read_bytes(), (resolved / "metadata.json").read_bytes()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    home = tmp_path_factory.mktemp("wap_home")
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("snapshot"))
    env = {"SECTOR_DATASETS_HOME": str(home), "SECTOR_DATASETS_SNAPSHOT_DIR": str(snapshot)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    first = run_sector("good_run_1")
    yield home, snapshot, first
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_a_clean_run_publishes_every_transport_dataset(platform):
    home, _, first = platform
    assert all(isinstance(v, dict) and v["version"] == 1 for v in first.values()), first


def test_a_bad_payload_fails_the_gate_and_keeps_the_last_good_version(platform):
    home, snapshot, _ = platform
    exports = home / "exports"
    before = exports_fingerprint(exports, "transport_airports")
    original = (snapshot / AIRPORTS).read_text(encoding="utf-8")
    lines = original.splitlines()
    # Fault fixture: line 1 repeated (duplicate airport_id) and latitude of line 2 set to 95.
    fields = lines[1].split(",")
    fields[-8] = "95.0"
    bad = [lines[0], ",".join(fields), *lines[2:], lines[0]]
    (snapshot / AIRPORTS).write_text("\n".join(bad) + "\n", encoding="utf-8")
    try:
        outcome = run_sector("bad_run_2")
    finally:
        (snapshot / AIRPORTS).write_text(original, encoding="utf-8")

    failure = outcome["transport_airports"]
    assert isinstance(failure, stages.GateFailed)
    message = str(failure)
    assert "'transport'" in message and "'transport_airports'" in message
    assert "expect_column_values_to_be_unique(airport_id)" in message
    assert "expect_column_values_to_be_between(latitude)" in message and "95" in message

    # Nothing published: same version, byte-identical exports, curated still the good rows.
    assert exports_fingerprint(exports, "transport_airports") == before
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        rows, max_latitude = con.execute("select count(*), max(latitude) from curated.transport_airports").fetchone()
        assert rows == 25 and max_latitude < 24
        latest = con.execute(
            "select max(version) from meta.publications where dataset_id = 'transport_airports'"
        ).fetchone()[0]
        assert latest == 1
        kept = con.execute(
            "select success, result from quality.validation_results where dataset_id = 'transport_airports' and run_id = 'bad_run_2'"
        ).fetchone()
    assert kept[0] is False and "airport_id" in kept[1]
    # The report says what failed and where.
    html = (home / "reports" / "transport" / "index.html").read_text(encoding="utf-8")
    assert 'data-dataset="transport_airports" data-gate="failed"' in html
    assert "expect_column_values_to_be_unique" in html


READER = textwrap.dedent(
    """
    import json, os, sys, time, duckdb
    exports, dataset, stop = sys.argv[1], sys.argv[2], sys.argv[3]
    seen, errors, deadline = [], [], time.monotonic() + 600
    last = False
    while not last and time.monotonic() < deadline:
        last = os.path.exists(stop)
        try:
            version_dir = os.path.realpath(os.path.join(exports, 'transport', dataset, 'current'))
            meta = json.load(open(os.path.join(version_dir, 'metadata.json')))
            rows = duckdb.connect().execute(f"select count(*) from read_parquet('{version_dir}/{dataset}.parquet')").fetchone()[0]
            con = duckdb.connect(os.path.join(exports, 'catalog.duckdb'), read_only=True)
            cat_rows = con.execute(f'select count(*) from curated.{dataset}').fetchone()[0]
            con.close()
            seen.append([meta['version'], meta['row_count'], rows, cat_rows])
        except Exception as exc:
            errors.append(repr(exc))
        time.sleep(0.02)
    print(json.dumps({'seen': seen, 'errors': errors}))
    """
)


def test_a_reader_during_a_publish_always_sees_one_complete_version(platform):
    home, snapshot, _ = platform
    exports = home / "exports"
    stop = home / "reader.stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(exports), "transport_airports", str(stop)],
        stdout=subprocess.PIPE, text=True,
    )
    original = (snapshot / AIRPORTS).read_text(encoding="utf-8")
    # A legitimate change: one airport more (26 rows; an addition publishes without approval).
    (snapshot / AIRPORTS).write_text(with_new_airport(original), encoding="utf-8")
    try:
        outcome = run_sector("good_run_3")
    finally:
        (snapshot / AIRPORTS).write_text(original, encoding="utf-8")
    stop.touch()
    out, _ = reader.communicate(timeout=120)
    report = json.loads(out)
    assert outcome["transport_airports"]["version"] == 2
    assert report["errors"] == []
    versions = {v for v, *_ in report["seen"]}
    assert versions == {1, 2}, "the reader ran before and after the publish"
    for version, meta_rows, parquet_rows, catalog_rows in report["seen"]:
        assert parquet_rows == meta_rows == {1: 25, 2: 26}[version]
        assert catalog_rows in (25, 26)

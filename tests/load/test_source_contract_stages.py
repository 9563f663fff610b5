"""A source that breaks its contract fails only the datasets it feeds, through the real stages.

The transport sector (replayed HTTP, DuckDB, dbt, GX, publish) on a private home and a private
copy of its real snapshot files; the OpenFlights airports payload is retyped (a latitude written
"16.04N"), which feeds ``transport_airports`` and ``transport_air_routes`` but not the bus datasets.
"""

from __future__ import annotations

import json
import os

import duckdb
import pytest

from sector_datasets.orchestration import inline, stages
from sector_datasets.state import runlog
from tests.helpers import copy_snapshot
from tests.test_write_audit_publish import AIRPORTS, TRANSPORT_FILES, exports_fingerprint

SOURCE = "openflights_airports_vnm"
FED = ["transport_airports", "transport_air_routes"]
NOT_FED = ["transport_bus_routes", "transport_bus_stop_points"]


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    home = tmp_path_factory.mktemp("contract_home")
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("snapshot"))
    env = {"SECTOR_DATASETS_HOME": str(home), "SECTOR_DATASETS_SNAPSHOT_DIR": str(snapshot)}
    old = {k: os.environ.get(k) for k in [*env, "SECTOR_DATASETS_FORCE_RUN"]}
    os.environ.update(env)
    os.environ.pop("SECTOR_DATASETS_FORCE_RUN", None)
    first = inline.run_sector("transport", "good_1")
    yield home, snapshot, first
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def events(home, run_id: str) -> dict[tuple[str, str], dict]:
    return {(e["stage"], e["target"]): e for e in runlog.read_events(home, "transport", run_id)}


def served(home) -> dict[str, tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        versions = dict(con.execute("SELECT dataset_id, max(version) FROM meta.publications GROUP BY 1").fetchall())
    return {ds: (versions.get(ds), exports_fingerprint(home / "exports", ds)) for ds in FED}


def retype_latitude(text: str) -> str:
    lines = text.splitlines()
    fields = lines[1].split(",")
    fields[6] = "16.04N"  # latitude
    return "\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n"


def assert_rejected(home, run_id: str, outcome: dict) -> None:
    for ds in FED:
        err = outcome[ds]
        assert isinstance(err, stages.GateFailed), (ds, err)
        text = str(err)
        assert "source contract violated, not loaded" in text
        assert f"Nguồn {SOURCE} (ngành transport): trường 'latitude' phải là số, nhưng 1 giá trị không phải (ví dụ: '16.04N')" in text
        assert f"Source {SOURCE} (sector transport): field 'latitude' expected a number, got 1 value(s)" in text
    for ds in NOT_FED:
        assert isinstance(outcome[ds], dict) and outcome[ds]["version"] == 1, (ds, outcome[ds])
    log = events(home, run_id)
    load = log[("load", "raw")]
    assert load["status"] == "success" and list(load["result"]["violations"]) == [SOURCE]
    assert "contract violated, not loaded" in load["message"]
    assert log[("gate", FED[0])]["status"] == "failed"
    assert log[("publish", NOT_FED[0])]["status"] == "success"


def test_a_retyped_field_fails_only_the_datasets_it_feeds_and_reruns_fail_again(platform):
    home, snapshot, first = platform
    assert all(isinstance(o, dict) and o["version"] == 1 for o in first.values()), first
    before = served(home)
    good = (snapshot / AIRPORTS).read_text(encoding="utf-8")
    (snapshot / AIRPORTS).write_text(retype_latitude(good), encoding="utf-8")

    assert_rejected(home, "bad_2", inline.run_sector("transport", "bad_2"))
    assert served(home) == before, "the failed datasets still serve v1, exports untouched"
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        # raw kept the last good payload (loaded by good_1)
        assert con.execute(f"SELECT DISTINCT _landing_run FROM raw.{SOURCE}").fetchall() == [("good_1",)]
        inputs = con.execute(
            "SELECT inputs FROM meta.run_decisions WHERE sector_id = 'transport' AND run_id = 'bad_2'"
        ).fetchone()[0]
    # What bad_2 confirms was built without that payload: no rerun can match it and skip.
    assert json.loads(inputs)[f"source:{SOURCE}"].startswith("rejected:")

    # The same bad payload again: not "unchanged" — it is loaded, and rejected, again.
    rerun = inline.run_sector("transport", "bad_3")
    assert not events(home, "bad_3")[("load", "raw")]["result"]["unchanged"]
    assert_rejected(home, "bad_3", rerun)
    assert served(home) == before

    # The payload fixed: everything gates and publishes.
    (snapshot / AIRPORTS).write_text(good, encoding="utf-8")
    fixed = inline.run_sector("transport", "fixed_4")
    assert all(isinstance(o, dict) and not o.get("skipped") for o in fixed.values()), fixed
    assert events(home, "fixed_4")[("load", "raw")]["result"]["violations"] == {}
    assert fixed["transport_airports"]["served_version"] == 1  # same content as v1: served again
    again = inline.run_sector("transport", "noop_5")
    assert all(o.get("skipped") and o.get("unchanged") for o in again.values()), again

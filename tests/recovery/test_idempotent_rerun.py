"""Rerunning a sector whose payloads, dbt models, suites and registry did not change publishes
nothing and is fast; any change — a payload, the code, a gate that failed last time — runs fully.

Through the real stages (replayed HTTP, DuckDB, dbt, GX, publish) on the transport sector with a
private copy of its real snapshot files, so payloads can be changed between runs.
"""

from __future__ import annotations

import os
import time

import duckdb
import pytest

from sector_datasets import recovery
from sector_datasets.orchestration import inline

from sector_datasets.orchestration import stages

from sector_datasets.state import runlog
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings
from tests.helpers import copy_snapshot, with_new_airport
from tests.test_write_audit_publish import AIRPORTS, TRANSPORT_FILES

DATASETS = ["transport_bus_routes", "transport_bus_stop_points", "transport_airports", "transport_air_routes",
            "transport_passenger_freight_monthly_by_mode"]
TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    home = tmp_path_factory.mktemp("recovery_home")
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("snapshot"))
    env = {"SECTOR_DATASETS_HOME": str(home), "SECTOR_DATASETS_SNAPSHOT_DIR": str(snapshot)}
    old = {k: os.environ.get(k) for k in [*env, "SECTOR_DATASETS_FORCE_RUN"]}
    os.environ.update(env)
    os.environ.pop("SECTOR_DATASETS_FORCE_RUN", None)
    yield home, snapshot
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def timed_run(name: str) -> dict:
    t0 = time.perf_counter()
    outcome = inline.run_sector("transport", name)
    TIMES[name] = time.perf_counter() - t0
    return outcome


def events(home, run_id: str) -> dict[tuple[str, str], dict]:
    return {(e["stage"], e["target"]): e for e in runlog.read_events(home, "transport", run_id)}


def publications(home) -> int:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM meta.publications").fetchone()[0]


def test_first_run_builds_and_publishes_everything(platform):
    home, _ = platform
    outcome = timed_run("full_1")
    assert {ds: (o["version"], o["new_version"]) for ds, o in outcome.items()} == {ds: (1, True) for ds in DATASETS}
    assert events(home, "full_1")[("transform", "dbt")]["status"] == "success"


def test_an_unchanged_rerun_publishes_nothing_reports_unchanged_and_is_fast(platform):
    home, _ = platform
    before = publications(home)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        loads_before = con.execute("SELECT count(*) FROM meta.loads").fetchone()[0]
    outcome = timed_run("noop_2")

    for ds in DATASETS:
        assert outcome[ds]["skipped"] and outcome[ds]["unchanged"] and not outcome[ds]["new_version"]
        assert outcome[ds]["version"] == 1 and "unchanged since run full_1" in outcome[ds]["reason"]
        assert not (home / "exports" / "transport" / ds / "v0002").exists()
    assert publications(home) == before
    log = events(home, "noop_2")
    assert log[("load", "raw")]["status"] == "success" and log[("load", "raw")]["result"]["unchanged"]
    assert log[("transform", "dbt")]["status"] == "skipped"
    assert log[("transform", "dbt")]["result"]["models"] == {}, "dbt did not run"
    for ds in DATASETS:
        assert log[("gate", ds)]["status"] == "skipped" and log[("publish", ds)]["status"] == "skipped"
        assert "unchanged" in log[("publish", ds)]["message"]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM meta.loads").fetchone()[0] == loads_before, "nothing reloaded"
        decision = con.execute(
            "SELECT unchanged, reason FROM meta.run_decisions WHERE sector_id = 'transport' AND run_id = 'noop_2'"
        ).fetchone()
    assert decision[0] is True and "same payloads (sha256 of 7 source(s))" in decision[1]
    # Extract asked conditionally: every page came back 304 and was taken from full_1's landing,
    # with the same sha256s, so the decision above saw exactly what a download would have landed.
    extracted = {t: e["result"] for (stage, t), e in log.items() if stage == "extract"}
    first = {t: e["result"] for (stage, t), e in events(home, "full_1").items() if stage == "extract"}
    assert len(extracted) == 7 and extracted.keys() == first.keys()
    for source_id, manifest in extracted.items():
        assert manifest["sha256"] == first[source_id]["sha256"]
        assert all(f["not_modified"] and f["status"] == 304 for f in manifest["files"]), source_id
        assert all(f["status"] == 200 and not f["not_modified"] for f in first[source_id]["files"]), source_id

    ratio = TIMES["noop_2"] / TIMES["full_1"]
    print(
        f"\nno-op rerun {TIMES['noop_2']:.1f}s vs full run {TIMES['full_1']:.1f}s "
        f"(ratio {ratio:.2f}, {1 / ratio:.1f}x faster)"
    )
    assert ratio < 0.5


def test_a_changed_payload_runs_fully_and_republishes_only_what_changed(platform):
    home, snapshot = platform
    original = (snapshot / AIRPORTS).read_text(encoding="utf-8")
    # A legitimate upstream change: one airport more (an addition publishes without approval).
    (snapshot / AIRPORTS).write_text(with_new_airport(original), encoding="utf-8")
    outcome = timed_run("changed_3")
    log = events(home, "changed_3")
    assert "openflights_airports_vnm" in log[("load", "raw")]["result"]["reason"]
    downloaded = {t for (stage, t), e in log.items() if stage == "extract" and not any(
        f["not_modified"] for f in e["result"]["files"])}
    assert downloaded == {"openflights_airports_vnm"}, "only the changed payload is downloaded again"
    assert log[("transform", "dbt")]["status"] == "success"
    assert (outcome["transport_airports"]["version"], outcome["transport_airports"]["new_version"]) == (2, True)
    for ds in set(DATASETS) - {"transport_airports"}:
        assert not outcome[ds].get("skipped") and not outcome[ds]["new_version"]


def test_after_a_failed_gate_the_same_good_payload_runs_fully(platform):
    home, snapshot = platform
    good = (snapshot / AIRPORTS).read_text(encoding="utf-8")  # what changed_3 loaded and published
    lines = good.splitlines()
    (snapshot / AIRPORTS).write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")  # duplicate airport
    bad = timed_run("bad_4")
    assert isinstance(bad["transport_airports"], stages.GateFailed)

    (snapshot / AIRPORTS).write_text(good, encoding="utf-8")
    outcome = timed_run("retry_5")
    reason = events(home, "retry_5")[("load", "raw")]["result"]["reason"]
    assert "transport_airports: last gate failed in run bad_4" in reason
    assert events(home, "retry_5")[("gate", "transport_airports")]["status"] == "success", "gate ran again"
    assert (outcome["transport_airports"]["version"], outcome["transport_airports"]["new_version"]) == (2, False)

    again = timed_run("noop_6")
    assert all(o["skipped"] and o["version"] == (2 if ds == "transport_airports" else 1) for ds, o in again.items())


def _decision_of_a_fresh_load(home, run_id: str) -> dict:
    """Extract and load only: the load stage's decision (transform would follow it)."""
    registry = load_registry(get_settings().registry_dir)
    manifests = [stages.extract("transport", s.id, run_id) for s in registry.sources_for(registry.sector("transport"))]
    return stages.load("transport", "raw", run_id, manifests)


def test_a_changed_dbt_model_suite_or_registry_file_rebuilds(platform, monkeypatch):
    home, _ = platform
    # What any edit of a dbt file, a suite or the registry does (file-level: test_fingerprints.py).
    monkeypatch.setattr(recovery, "code_fingerprint", lambda *args: "0" * 64)
    loaded = _decision_of_a_fresh_load(home, "code_7")
    assert not loaded["unchanged"] and loaded["loads"], "raw is loaded again for the rebuild"
    assert "dbt models, expectation suites, registry or salt changed since run" in loaded["reason"]


def test_a_forced_run_rebuilds(platform, monkeypatch):
    home, _ = platform
    monkeypatch.setenv("SECTOR_DATASETS_FORCE_RUN", "1")
    loaded = _decision_of_a_fresh_load(home, "forced_8")
    assert not loaded["unchanged"] and loaded["reason"].startswith("forced rebuild")


def test_a_served_version_with_missing_exports_is_not_trusted_as_unchanged(platform):
    home, _ = platform
    current = home / "exports" / "transport" / "transport_bus_routes" / "current"
    target = os.readlink(current)
    current.unlink()
    try:
        loaded = _decision_of_a_fresh_load(home, "damaged_9")
    finally:
        os.symlink(target, current)
    assert not loaded["unchanged"]
    assert "transport_bus_routes: exports of the served version v1 are missing or not current" in loaded["reason"]

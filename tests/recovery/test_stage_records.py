"""The records the stages exchange: one skipped shape for transform, gate and publish, carrying
the run's one ``Unchanged`` record; BuildResult and GateVerdict survive their JSON form.

No dbt, GX or publish runs: the unchanged decision load would have recorded is given to transform,
and each stage's record is fed to the next, as the DAG's XComs would be.
"""

from __future__ import annotations

import json

import pytest

from sector_datasets import recovery
from sector_datasets.gate.outcomes import ExpectationOutcome, GateVerdict
from sector_datasets.orchestration import stages
from sector_datasets.state import runlog
from sector_datasets.transform.build import BuildResult
from tests.privacy.synthetic import environment

SECTOR = "transport"
DATASETS = ["transport_bus_routes", "transport_bus_stop_points", "transport_airports", "transport_air_routes",
            "transport_passenger_freight_monthly_by_mode"]
RUN_ID = "noop_2"
SERVED = {
    ds: {"version": 1, "row_count": 10 + i, "checksum": f"c{i}", "pinned": ds == "transport_airports",
         "export_dir": f"/exports/{SECTOR}/{ds}/v0001"}
    for i, ds in enumerate(DATASETS)
}
DECISION = recovery.Decision(
    sector_id=SECTOR, run_id=RUN_ID, fingerprint="f" * 64, code_fingerprint="c" * 64,
    inputs={"source:hanoi_gtfs": "a" * 64}, unchanged=True, reason="unchanged since run full_1: same payloads",
    since_run="full_1", datasets=SERVED,
)


@pytest.fixture
def unchanged_run(tmp_path, monkeypatch):
    monkeypatch.setattr(recovery, "recorded_decision", lambda con, sector_id, run_id: DECISION)
    with environment(SECTOR_DATASETS_HOME=str(tmp_path)):
        yield tmp_path


def _through_json(record: dict) -> dict:
    return json.loads(json.dumps(record))


def test_transform_gate_and_publish_skip_with_one_shape_carrying_the_decision(unchanged_run):
    build = _through_json(stages.transform(SECTOR, "dbt", RUN_ID))
    verdicts = {ds: _through_json(stages.gate(SECTOR, ds, RUN_ID, build)) for ds in DATASETS}
    published = {ds: stages.publish(SECTOR, ds, RUN_ID, verdicts[ds]) for ds in DATASETS}

    skipped = [build, *verdicts.values(), *published.values()]
    common = {"skipped", "unchanged", "reason", "since_run", "datasets", "summary"}
    for record in skipped:
        assert common <= set(record), record
        assert record["skipped"] is True and record["unchanged"] is True
        assert stages._unchanged_in(record) == DECISION.as_unchanged()
        assert record["summary"].startswith("skipped, unchanged: ")

    # Each stage's own fields next to the common ones, as the report, the CLI and the tests read them.
    assert BuildResult.from_dict(build) == BuildResult(sector_id=SECTOR, run_id=RUN_ID, success=True, elapsed_s=0.0)
    assert verdicts["transport_airports"]["success"] is None and verdicts["transport_airports"]["suite_name"]
    airports = published["transport_airports"]
    assert (airports["version"], airports["served_version"], airports["row_count"], airports["new_version"]) == (1, 1, 12, False)
    assert airports["pinned"] is True and airports["checksum"] == "c2"
    assert airports["export_dir"] == SERVED["transport_airports"]["export_dir"]
    assert airports["summary"] == "skipped, unchanged: still serving v1 (12 rows)"
    assert "passed its last gate in run full_1; serving v1" in verdicts["transport_airports"]["summary"]

    events = runlog.read_events(unchanged_run, SECTOR, RUN_ID)
    assert [e["status"] for e in events] == ["skipped"] * (1 + 2 * len(DATASETS))


def test_a_run_that_rebuilds_carries_no_unchanged_record():
    rebuild = recovery.Decision(**{**DECISION.to_dict(), "unchanged": False, "since_run": None, "datasets": {}})
    assert rebuild.as_unchanged() is None
    built = BuildResult(sector_id=SECTOR, run_id=RUN_ID, success=True, elapsed_s=1.0, models={"airports": "success"})
    assert stages._unchanged_in({**built.to_dict(), "summary": "1/1 models built"}) is None


def test_build_result_and_gate_verdict_round_trip_through_their_json_form():
    built = BuildResult(
        sector_id=SECTOR, run_id=RUN_ID, success=False, elapsed_s=2.5,
        models={"stg_airports": "error", "airports": "skipped"},
        failures={"model.p.stg_airports": "boom"},
        upstream_failures={"airports": {"model.p.stg_airports": "boom"}},
        upstream_key_warnings={"airports": {"test.p.unique": "key test warned: 2 duplicates"}},
    )
    verdict = GateVerdict(
        dataset_id="transport_airports", sector_id=SECTOR, run_id=RUN_ID, suite_name="transport_airports",
        table="audit.transport_airports", success=False, evaluated=2, failed=1, row_count=12,
        started_at="2025-01-06T00:00:00+00:00", duration_s=0.4,
        results=(
            ExpectationOutcome(type="expect_column_values_to_be_unique", column="iata", kwargs={"column": "iata"},
                               success=False, unexpected_count=2, unexpected_percent=16.7,
                               partial_unexpected_list=["HAN", "SGN"]),
            ExpectationOutcome(type="expect_table_row_count_to_be_between", column=None,
                               kwargs={"min_value": 1, "max_value": None}, success=True, observed_value=12),
        ),
    )
    for record in (built, verdict):
        data = record.to_dict()
        assert _through_json(data) == data, "plain JSON types only (a tuple would not survive XCom as a list)"
        assert type(record).from_dict({**_through_json(data), "summary": "extra keys are ignored"}) == record
    assert isinstance(GateVerdict.from_dict(verdict.to_dict()).results[0], ExpectationOutcome)

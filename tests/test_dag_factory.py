"""The DAG files, parsed by Airflow's own DagBag: one DAG per registry file, the right shape."""

from __future__ import annotations

import dataclasses
import os

import pytest

from sector_datasets.registry import load_registry
from sector_datasets.settings import REPO_ROOT, get_settings

REGISTRY = load_registry(get_settings().registry_dir)


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory):
    from sector_datasets.orchestration.airflow_env import airflow_environment

    home = tmp_path_factory.mktemp("dagbag_home")
    previous = dict(os.environ)
    os.environ.update(airflow_environment(dataclasses.replace(get_settings(), home=home)))
    try:
        from airflow.dag_processing.dagbag import DagBag

        yield DagBag(dag_folder=str(REPO_ROOT / "dags"))
    finally:
        os.environ.clear()
        os.environ.update(previous)


def test_every_registry_file_gives_one_dag_and_nothing_fails_to_import(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {s.dag_id for s in REGISTRY.sectors.values()}


def test_each_dag_has_its_ministry_as_one_owner(dagbag):
    culture = dagbag.dags[REGISTRY.sector("culture_tourism").dag_id]
    assert culture.owner == "Ministry of Culture Sports and Tourism", "Airflow splits owners on commas"
    for sector in REGISTRY.sectors.values():
        assert "," not in dagbag.dags[sector.dag_id].owner


def test_a_sector_dag_reads_like_its_registry_file(dagbag):
    sector = REGISTRY.sector("health")
    dag = dagbag.dags[sector.dag_id]
    task_ids = set(dag.task_ids)
    assert not any(t.startswith("extract__") for t in task_ids), "one extract task fetches every source"
    assert not any(t.startswith("gate__") for t in task_ids), "one gate task validates every dataset"
    assert {f"publish__{d.id}" for d in sector.datasets} <= task_ids
    assert {"start", "extract", "load_raw", "transform", "gate", "report"} <= task_ids
    assert dag.get_task("extract").downstream_task_ids == {"load_raw"}
    assert dag.get_task("transform").downstream_task_ids == {"gate"}
    assert dag.get_task("gate").downstream_task_ids == {f"publish__{d.id}" for d in sector.datasets}
    for d in sector.datasets:
        publish = dag.get_task(f"publish__{d.id}")
        # Asset events go through an alias, added only when a new version is served (issue 15 item 5).
        assert [o.name for o in publish.outlets] == [f"served.{d.id}"]
        assert [o.name for o in dag.get_task(f"serve__{d.id}").outlets] == [f"served.{d.id}"]
        assert not dag.get_task(f"reject__{d.id}").outlets
        approve = dag.get_task(f"approve__{d.id}")
        assert publish.downstream_task_ids == {approve.task_id}, "report must not hang off the branch directly"
        assert approve.options_mapping == {"Approve": f"serve__{d.id}", "Reject": f"reject__{d.id}"}
        assert approve.defaults == ["Reject"], "a timeout rejects"
        assert approve.response_timeout.total_seconds() == d.publish_policy.approval_timeout_hours * 3600
        assert "report" in dag.get_task(f"serve__{d.id}").downstream_task_ids
    assert dag.get_task("gate").retries == 0, "a failed expectation must not be retried"
    assert dag.get_task("extract").retries >= 2
    assert dag.get_task("report").is_teardown, "the report never decides the run's state"
    writers = ["load_raw", "transform", "gate", *[f"publish__{d.id}" for d in sector.datasets]]
    assert {dag.get_task(t).pool for t in writers} == {"sector_datasets_warehouse"}


def test_the_cross_sector_dag_is_scheduled_on_its_inputs_assets(dagbag):
    sector = REGISTRY.sector("cross_sector")
    dag = dagbag.dags[sector.dag_id]
    assert "extract" not in dag.task_ids and "load_raw" not in dag.task_ids
    expected = {f"curated.{d.id}" for d in REGISTRY.input_datasets(sector)}
    condition = dag.timetable.asset_condition
    scheduled_on = {asset.name for asset in condition.objects}
    assert scheduled_on == expected
    assert type(condition).__name__ == "AssetAny", "any republished input refreshes the marts"


def test_every_task_returns_its_record_as_one_xcom(dagbag):
    # A ``-> dict`` TaskFlow task would otherwise push every key as its own XCom: one
    # execution-API call and metadata-DB commit per key (≈0.3 s per task, docs/benchmarks.md).
    tasks = [t for dag in dagbag.dags.values() for t in dag.tasks]
    assert len(tasks) > 100
    assert [t.task_id for t in tasks if t.multiple_outputs] == []

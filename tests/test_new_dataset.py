"""`cli new-dataset`: on a copy of the registry, dbt project and rule files, the scaffold writes a
contract that loads, the mart SQL and the rule file, keeps the sector file's comments, and refuses
a second time (exit 2). ``transform.dbt_contracts`` belongs to another change: here it is a local
stand-in (a module recording its call) or absent."""

from __future__ import annotations

import json
import shutil
import sys
import types

import pytest

from sector_datasets import cli, scaffold
from sector_datasets.registry import load_registry
from sector_datasets.settings import REPO_ROOT, Settings

SOURCE = "wb_infant_mortality_vnm"


@pytest.fixture
def repo(tmp_path) -> Settings:
    root = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "include" / "sectors", root / "include" / "sectors")
    shutil.copytree(REPO_ROOT / "dbt_project" / "models", root / "dbt_project" / "models")
    shutil.copytree(REPO_ROOT / "expectations", root / "expectations")
    return Settings(
        repo_root=root, registry_dir=root / "include" / "sectors", snapshot_dir=root / "snapshot", home=tmp_path / "home",
        source_mode="replay", replay_url=None, http_timeout_s=5, http_max_attempts=1, http_backoff_s=0,
    )


@pytest.fixture
def synced(monkeypatch) -> list:
    calls: list = []
    stand_in = types.ModuleType("sector_datasets.transform.dbt_contracts")

    def sync_dbt(registry, settings):
        calls.append(sorted(registry.datasets))
        path = settings.dbt_project_dir / "models" / "marts" / "health" / "health_births.yml"
        path.write_text("# generated\n")
        return [path]

    stand_in.sync_dbt = sync_dbt
    monkeypatch.setitem(sys.modules, "sector_datasets.transform.dbt_contracts", stand_in)
    return calls


def test_the_scaffold_loads_keeps_comments_and_refuses_a_second_time(repo, synced, capsys):
    sector_file = repo.registry_dir / "health.yml"
    before = sector_file.read_text(encoding="utf-8")
    assert scaffold.run_cli(repo, "health", "health_births", [SOURCE], [], "year") == 0
    out = capsys.readouterr().out

    registry = load_registry(repo.registry_dir)
    sector, dataset = registry.dataset("health_births")
    assert sector.id == "health" and dataset.sources == [SOURCE] and dataset.primary_key == ["year"]
    assert dataset.promise.period == "year" and dataset.promise.geography.text.startswith("TODO")
    assert dataset.title.en.startswith("TODO") and [c.name for c in dataset.columns] == ["year", "value"]
    # Inserted as text inside datasets: (before usage_scenarios), every original line kept in order.
    after = sector_file.read_text(encoding="utf-8")
    assert after.index("- id: health_births") < after.index("usage_scenarios:")
    original = [line for line in before.splitlines() if line.strip()]
    kept = iter(after.splitlines())
    assert all(any(line == k for k in kept) for line in original), "a line of the sector file was lost"
    assert sum(line.lstrip().startswith("#") for line in after.splitlines()) > sum(
        line.lstrip().startswith("#") for line in before.splitlines())

    mart = repo.dbt_project_dir / "models" / "marts" / "health" / "health_births.sql"
    rules = repo.expectations_dir / "health_births.json"
    assert "ref('stg_worldbank__" in mart.read_text() and "TODO" in mart.read_text()
    assert json.loads(rules.read_text()) == {"name": "health_births", "expectations": []}
    assert synced == [sorted(registry.datasets)]  # sync_dbt saw the new dataset
    for path in (mart, rules, sector_file):
        assert str(path) in out
    assert "cli sync-dbt" in out and "cli run --sector health" in out

    snapshot = after, mart.read_text()
    assert scaffold.run_cli(repo, "health", "health_births", [SOURCE], [], "year") == 2
    assert "already exists" in capsys.readouterr().err
    assert (sector_file.read_text(encoding="utf-8"), mart.read_text()) == snapshot


@pytest.mark.parametrize(
    ("sector", "dataset", "sources", "message"),
    [("nowhere", "x_new", [SOURCE], "unknown sector 'nowhere'"),
     ("health", "health_tb_burden", [SOURCE], "already exists in sector 'health'"),
     ("health", "health_new", ["no_such_source"], "has no source(s) no_such_source"),
     ("health", "health_new", [], "needs --sources")],
)
def test_refusals_name_the_problem_and_write_nothing(repo, synced, capsys, sector, dataset, sources, message):
    before = {p: p.read_text() for p in repo.registry_dir.glob("*.yml")}
    assert scaffold.run_cli(repo, sector, dataset, sources, [], None) == 2
    assert message in capsys.readouterr().err
    assert {p: p.read_text() for p in repo.registry_dir.glob("*.yml")} == before
    assert not (repo.expectations_dir / f"{dataset}.json").exists() or dataset == "health_tb_burden"
    assert synced == []


def test_without_the_dbt_generator_it_says_to_run_sync_dbt(repo, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "sector_datasets.transform.dbt_contracts", None)  # import fails
    assert scaffold.run_cli(repo, "health", "health_births", [SOURCE], [], None) == 0
    assert "run `cli sync-dbt`" in capsys.readouterr().out
    _, dataset = load_registry(repo.registry_dir).dataset("health_births")
    assert dataset.primary_key == ["code"] and dataset.promise.period is None


def test_the_help_explains_the_files(capsys):
    with pytest.raises(SystemExit):
        cli.main(["new-dataset", "--help"])
    text = capsys.readouterr().out
    assert all(f in text for f in ("include/sectors/<sector>.yml", "marts/<sector>/<dataset>.sql", "expectations/<dataset>.json"))

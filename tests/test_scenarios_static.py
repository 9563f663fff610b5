"""Usage scenarios, checked without a warehouse: files, relations read, counts, generated exposures.

The executable check (each scenario's SQL against built curated tables) is tests/test_scenarios.py;
this file is the fast part that must hold for every commit: every registry scenario has its SQL,
the SQL is one SELECT that reads published ``curated.<dataset>`` views only (never audit, staging,
raw or intermediate, nor a pinned ``__vNNNN`` version), the datasets it reads are the ones it
declares (so the dbt exposure lineage tells the truth), each sector has exactly five scenarios,
and the committed dbt exposures are exactly what ``cli sync-dbt`` generates.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sector_datasets.registry import load_registry
from sector_datasets.scenarios import scenario_sql_path
from sector_datasets.settings import get_settings
from sector_datasets.transform.dbt_contracts import EXPOSURES_DIR, exposure_files

SETTINGS = get_settings()
REGISTRY = load_registry(SETTINGS.registry_dir)
SCENARIOS_DIR = SETTINGS.repo_root / "include" / "scenarios"
SCENARIOS = [(sector, scenario) for sector in REGISTRY.sectors.values() for scenario in sector.usage_scenarios]
IDS = [f"{sector.id}/{scenario.id}" for sector, scenario in SCENARIOS]
SCENARIOS_PER_SECTOR = 5

# `from` also appears inside these calls without naming a relation: extract(year from d), …
_FROM_IN_CALL = {"extract", "substring", "trim", "overlay", "position"}
_RELATION = re.compile(r"\b(from|join)\s+([A-Za-z_][\w$]*(?:\s*\.\s*[A-Za-z_][\w$]*)*)", re.IGNORECASE)
_CTE = re.compile(r"(?:\bwith\s+(?:recursive\s+)?|,\s*)([A-Za-z_]\w*)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(", re.IGNORECASE)


def _strip_comments_and_literals(sql: str) -> str:
    """SQL with comments removed and string literals emptied, so neither can fake a relation."""
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    sql = re.sub(r"--[^\n]*", " ", sql)
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def _enclosing_call(sql: str, pos: int) -> str | None:
    """Name of the function whose parentheses enclose position pos, if any."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        if sql[i] == ")":
            depth += 1
        elif sql[i] == "(":
            if depth == 0:
                m = re.search(r"([A-Za-z_]\w*)\s*$", sql[:i])
                return m.group(1).lower() if m else None
            depth -= 1
    return None


def relations_read(sql: str) -> tuple[set[str], set[str]]:
    """(qualified relations read, unqualified names read) by a SELECT; CTE names excluded."""
    text = _strip_comments_and_literals(sql)
    ctes = {m.group(1).lower() for m in _CTE.finditer(text)}
    qualified, unqualified = set(), set()
    for m in _RELATION.finditer(text):
        if m.group(1).lower() == "from" and _enclosing_call(text, m.start()) in _FROM_IN_CALL:
            continue
        name = re.sub(r"\s+", "", m.group(2)).lower()
        if "." in name:
            qualified.add(name)
        elif name not in ctes and name not in {"lateral", "unnest"}:
            unqualified.add(name)
    return qualified, unqualified


def test_the_relation_parser_sees_what_a_scenario_reads():
    sql = """
        -- from audit.x in a comment is ignored
        with a as (select extract(year from d) as y from curated.ds_one),
        b as (select * from a join curated.ds_two on true)
        select 'from raw.y' as s, * from b left join Staging . stg_z using (k)
    """
    assert relations_read(sql) == ({"curated.ds_one", "curated.ds_two", "staging.stg_z"}, set())
    assert relations_read("select * from some_table") == (set(), {"some_table"})


@pytest.mark.parametrize(("sector", "scenario"), SCENARIOS, ids=IDS)
def test_every_scenario_has_its_sql_file(sector, scenario):
    path = scenario_sql_path(SETTINGS, sector.id, scenario.id)
    assert path.is_file(), f"{sector.id}/{scenario.id}: missing {path.relative_to(SETTINGS.repo_root)}"


@pytest.mark.parametrize(("sector", "scenario"), SCENARIOS, ids=IDS)
def test_every_scenario_dataset_exists(sector, scenario):
    missing = [ds for ds in scenario.datasets if ds not in REGISTRY.datasets]
    assert not missing, f"{sector.id}/{scenario.id}: unknown datasets {missing}"


@pytest.mark.parametrize(("sector", "scenario"), SCENARIOS, ids=IDS)
def test_scenario_sql_is_one_select_over_the_curated_views_it_declares(sector, scenario):
    path = scenario_sql_path(SETTINGS, sector.id, scenario.id)
    if not path.is_file():
        pytest.skip("reported by test_every_scenario_has_its_sql_file")
    sql = path.read_text(encoding="utf-8")
    where = f"{sector.id}/{scenario.id} ({path.name})"
    body = _strip_comments_and_literals(sql).strip().rstrip(";").strip()
    assert re.match(r"(?is)^(with|select)\b", body), f"{where}: must be a single SELECT (optionally WITH …)"
    assert ";" not in body, f"{where}: must be a single statement"

    qualified, unqualified = relations_read(sql)
    assert not unqualified, f"{where}: reads relations that are neither CTEs nor curated views: {sorted(unqualified)}"
    not_curated = sorted(r for r in qualified if not r.startswith("curated."))
    assert not not_curated, f"{where}: reads outside the curated schema (audit/staging/raw/intermediate): {not_curated}"
    read = {r.split(".", 1)[1] for r in qualified}
    unknown = sorted(read - set(REGISTRY.datasets))
    assert not unknown, f"{where}: curated relations that are not published datasets (pinned versions?): {unknown}"
    assert read == set(scenario.datasets), (
        f"{where}: reads {sorted(read)} but declares datasets {sorted(scenario.datasets)}; "
        "the generated dbt exposure would show the wrong lineage"
    )


def test_every_scenario_sql_file_belongs_to_a_registry_scenario():
    declared = {scenario_sql_path(SETTINGS, sector.id, scenario.id) for sector, scenario in SCENARIOS}
    orphans = sorted(str(p.relative_to(SETTINGS.repo_root)) for p in SCENARIOS_DIR.glob("*/*.sql") if p not in declared)
    assert not orphans, f"SQL files without a scenario in include/sectors/*.yml: {orphans}"


@pytest.mark.parametrize("sector", [s for s in REGISTRY.sectors.values() if s.kind == "sector"], ids=lambda s: s.id)
def test_each_sector_with_datasets_has_exactly_five_scenarios(sector):
    if not sector.datasets:
        pytest.skip(f"{sector.id} publishes no dataset yet")
    assert len(sector.usage_scenarios) == SCENARIOS_PER_SECTOR, (
        f"{sector.id} has {len(sector.usage_scenarios)} usage scenarios, expected {SCENARIOS_PER_SECTOR}"
    )


def test_committed_exposures_equal_the_ones_generated_from_the_registry():
    expected: dict[Path, str] = exposure_files(REGISTRY, SETTINGS)
    exposures_dir = SETTINGS.dbt_project_dir / EXPOSURES_DIR
    committed = {p: p.read_text(encoding="utf-8") for p in exposures_dir.glob("_*__scenarios.yml")}
    hint = "run `PYTHONPATH=plugins .venv/bin/python -m sector_datasets.cli sync-dbt`"
    assert sorted(committed) == sorted(expected), f"exposure files differ from the registry's sectors; {hint}"
    for path, text in expected.items():
        assert committed[path] == text, f"{path.name} is out of date with the registry; {hint}"


def test_cli_scenarios_show_prints_each_question_and_its_sql_and_runs_nothing(capsys, monkeypatch, tmp_path):
    from sector_datasets import cli

    monkeypatch.setenv("SECTOR_DATASETS_HOME", str(tmp_path))
    assert cli.main(["scenarios", "--sector", "health", "--show"]) == 0
    out = capsys.readouterr().out
    health = load_registry(get_settings().registry_dir).sector("health")
    for scenario in health.usage_scenarios:
        sql = scenario_sql_path(get_settings(), "health", scenario.id).read_text(encoding="utf-8").strip()
        assert f"-- health/{scenario.id}: {scenario.title.vi} / {scenario.title.en}" in out
        assert scenario.question.vi in out and scenario.question.en in out and sql in out
    assert list(tmp_path.iterdir()) == [], "--show opens no warehouse and writes nothing"

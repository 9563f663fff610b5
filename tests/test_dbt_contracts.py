"""The dbt ymls generated from the registry (``transform.dbt_contracts``), checked without a warehouse.

The committed mart, source and exposure ymls must be exactly what ``cli sync-dbt`` generates;
every ``source()`` call in the dbt project must name a table the generated sources declare;
no hand-written yml may declare a raw table again; each dataset's mart is documented and tested
by exactly one yml, the generated one; and the generated tests follow the contract.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml

from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings
from sector_datasets.transform.dbt_contracts import (
    column_tests,
    dbt_source_tables,
    is_generated,
    mart_path,
    render_all,
    render_mart,
    stale_files,
    sync_dbt,
)

SETTINGS = get_settings()
REGISTRY = load_registry(SETTINGS.registry_dir)
PROJECT = SETTINGS.dbt_project_dir
HINT = "run `PYTHONPATH=plugins .venv/bin/python -m sector_datasets.cli sync-dbt`"

# source('name', 'table') with a literal table, and source('name', variable) inside a macro.
LITERAL_SOURCE = re.compile(r"""source\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]\s*\)""")
VARIABLE_SOURCE = re.compile(r"""source\(\s*['"](\w+)['"]\s*,\s*([A-Za-z_]\w*)\s*\)""")
MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\(([^)]*)\)\s*-?%\}(.*?)\{%-?\s*endmacro", re.S)


def _rel(path: Path) -> str:
    return str(path.relative_to(SETTINGS.repo_root))


def _sql_files() -> list[Path]:
    return sorted((PROJECT / "models").rglob("*.sql")) + sorted((PROJECT / "macros").rglob("*.sql"))


def _model_ymls() -> list[Path]:
    return sorted((PROJECT / "models").rglob("*.yml"))


def test_committed_dbt_ymls_equal_the_generated_ones():
    rendered = render_all(REGISTRY, SETTINGS)
    missing = sorted(_rel(p) for p in rendered if not p.exists())
    assert not missing, f"generated dbt files missing: {missing}; {HINT}"
    drifted = sorted(_rel(p) for p, text in rendered.items() if p.read_text(encoding="utf-8") != text)
    assert not drifted, f"dbt files out of date with the registry: {drifted}; {HINT}"
    stale = [_rel(p) for p in stale_files(rendered, SETTINGS)]
    assert not stale, f"generated dbt files the registry no longer declares: {stale}; {HINT}"


def _macro_sources() -> dict[str, tuple[str, str]]:
    """Macro name → (dbt source name, parameter) for macros calling source('x', <parameter>)."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted((PROJECT / "macros").rglob("*.sql")):
        for name, params, body in MACRO.findall(path.read_text(encoding="utf-8")):
            names = [p.split("=")[0].strip() for p in params.split(",")]
            for source_name, variable in VARIABLE_SOURCE.findall(body):
                if variable in names:
                    # adapter.dispatch: callers use the name without the "default__"/"postgres__" prefix
                    found[re.sub(r"^\w+?__", "", name)] = (source_name, variable)
    return found


def _referenced_source_tables() -> dict[tuple[str, str], list[str]]:
    """Every (source, table) the project reads, with the files that read it."""
    macros = _macro_sources()
    refs: dict[tuple[str, str], list[str]] = {}
    for path in _sql_files():
        text = path.read_text(encoding="utf-8")
        for pair in LITERAL_SOURCE.findall(text):
            refs.setdefault(pair, []).append(_rel(path))
        for macro, (source_name, param) in macros.items():
            call = re.compile(rf"\b{macro}\(\s*(?:{param}\s*=\s*)?['\"](\w+)['\"]")
            for table in call.findall(text):
                refs.setdefault((source_name, table), []).append(_rel(path))
    return refs


def test_the_macro_scan_finds_the_table_name_macros():
    # Guards the text scan below: if it stops seeing these, it would silently check nothing.
    macros = _macro_sources()
    assert {"worldbank_indicator_staging", "gso_rice_staging", "owid_single_indicator_staging"} <= set(macros)
    assert ("worldbank", "life_expectancy") in _referenced_source_tables()


def test_every_source_call_names_a_registry_dbt_source():
    declared = dbt_source_tables(REGISTRY)
    unknown = {f"{s}.{t}": files for (s, t), files in _referenced_source_tables().items() if (s, t) not in declared}
    assert not unknown, (
        f"source() calls naming no registry dbt_source (set `dbt_source` on the source in "
        f"include/sectors/*.yml, then {HINT}): {unknown}"
    )


def test_every_registry_dbt_source_is_read_by_a_model():
    unread = sorted(f"{s}.{t}" for s, t in dbt_source_tables(REGISTRY) - set(_referenced_source_tables()))
    assert not unread, f"registry dbt sources no staging model reads (a typo in dbt_source?): {unread}"


def test_no_hand_written_yml_declares_a_raw_table():
    rendered = render_all(REGISTRY, SETTINGS)
    source_ids = set(REGISTRY.sources)
    offenders = []
    for path in sorted(PROJECT.rglob("*.yml")):
        if path in rendered:
            continue
        for match in re.findall(r"^\s*identifier:\s*['\"]?(\w+)", path.read_text(encoding="utf-8"), re.M):
            if match in source_ids:
                offenders.append(f"{_rel(path)}: {match}")
    assert not offenders, f"raw tables are declared by the generated sources only ({HINT}): {offenders}"


def test_every_dataset_has_exactly_one_mart_yml_and_it_is_generated():
    documented: dict[str, list[Path]] = {}
    for path in _model_ymls():
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            documented.setdefault(model["name"], []).append(path)
    for sector in REGISTRY.sectors.values():
        for dataset in sector.datasets:
            paths = documented.get(dataset.model_name, [])
            where = mart_path(SETTINGS, sector, dataset)
            assert paths == [where], f"{sector.id}/{dataset.id}: model {dataset.model_name} documented in {paths}, expected only {where}"
            assert is_generated(where.read_text(encoding="utf-8")), f"{_rel(where)} is not generated; {HINT}"


def _dataset(dataset_id: str):
    return REGISTRY.dataset(dataset_id)


def test_mart_yml_documents_the_contract_and_tests_only_its_foreign_keys():
    sector, dataset = _dataset("education_enrolment_completion")
    model = yaml.safe_load(render_mart(REGISTRY, sector, dataset))["models"][0]
    assert "data_tests" not in model, "the key is the gate's (contract_suite), not a second dbt test"
    by_name = {c["name"]: c for c in model["columns"]}
    assert [c["name"] for c in model["columns"]] == [c.name for c in dataset.columns]
    for column in dataset.columns:
        assert "data_tests" not in by_name[column.name], f"{dataset.id}.{column.name}: not-null/values are the gate's"
        assert by_name[column.name]["meta"]["description_vi"] == column.description.vi
    assert "accepted_range" not in render_mart(REGISTRY, sector, dataset), "ranges live in the GX rule files"


@pytest.mark.parametrize("dataset_id", [d.id for s in REGISTRY.sectors.values() for d in s.datasets])
def test_each_contract_rule_runs_once(dataset_id: str):
    """dbt tests a mart's foreign keys (a join the gate's suite does not make); the gate runs
    key, not-null, values and series. A rule in both would cost a dbt node per column and run."""
    from sector_datasets.gate.contract_suite import baseline_expectations

    sector, dataset = _dataset(dataset_id)
    model = yaml.safe_load(render_mart(REGISTRY, sector, dataset))["models"][0]
    dbt_tests = [next(iter(t)) if isinstance(t, dict) else t for c in model["columns"] for t in c.get("data_tests", [])]
    assert set(dbt_tests) <= {"relationships"}
    assert len(dbt_tests) == sum(1 for c in dataset.columns if c.references)
    gx_kinds = {e["type"] for e in baseline_expectations(dataset, "duckdb")}
    assert "expect_compound_columns_to_be_unique" in gx_kinds or "expect_column_values_to_be_unique" in gx_kinds
    if any(not c.nullable for c in dataset.columns):
        assert "expect_column_values_to_not_be_null" in gx_kinds


def test_references_become_relationships_tests_and_nothing_else_does():
    sector, dataset = _dataset("agri_rice_province")
    province = dataset.column("province_code")
    assert column_tests(REGISTRY, dataset, province) == [
        {"relationships": {"arguments": {"to": "ref('dim_province')", "field": "province_code"}}}
    ]
    loose = province.model_copy(update={"nullable": False, "unique": True, "references": None, "values": ["01"]})
    assert column_tests(REGISTRY, dataset, loose) == []


def test_sources_carry_identifier_and_freshness_from_the_registry():
    rendered = render_all(REGISTRY, SETTINGS)
    tables = {}
    for path, text in rendered.items():
        for source in (yaml.safe_load(text) or {}).get("sources") or []:
            for table in source["tables"]:
                tables[(source["name"], table["name"])] = (path, source, table)
    for source in REGISTRY.sources.values():
        path, declared, table = tables[tuple(source.dbt_source.split("."))]
        assert table["identifier"] == source.id and declared["schema"] == "raw"
        assert table["description"].startswith(source.title)
        days = source.freshness_days
        expected = {"warn_after": {"count": days, "period": "day"}} if days else None
        assert table["config"]["freshness"] == expected, source.id
        assert path.name.startswith(f"_{declared['name']}__") and path.name.endswith("__sources.yml")


def test_sync_dbt_writes_changes_and_removes_stale_files(tmp_path):
    shutil.copytree(PROJECT / "models", tmp_path / "dbt_project" / "models")
    settings = dataclasses.replace(SETTINGS, repo_root=tmp_path)
    project = settings.dbt_project_dir
    stale = project / "models" / "staging" / "gone" / "_gone__health__sources.yml"
    stale.parent.mkdir()
    stale.write_text("version: 2\n", encoding="utf-8")
    mart = project / "models" / "marts" / "health" / "health_tb_burden.yml"
    mart.write_text("# edited by hand\n", encoding="utf-8")
    assert sync_dbt(REGISTRY, settings) == sorted([stale, mart])
    assert not stale.exists() and is_generated(mart.read_text(encoding="utf-8"))
    assert sync_dbt(REGISTRY, settings) == [], "a second sync changes nothing"


@pytest.mark.parametrize("text", ["version: 2\n", "# Generated from include/sectors/x.yml by hand\n"])
def test_hand_written_files_are_not_taken_for_generated(text):
    assert not is_generated(text)

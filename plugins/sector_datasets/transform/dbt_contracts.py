"""The dbt ymls generated from the registry: mart docs and tests, sources, scenario exposures.

The registry is each dataset's contract (``registry.contract``); dbt must document and test
exactly that, so its ymls are *generated* (``cli sync-dbt``) rather than written a second time
by hand. A test (``tests/test_dbt_contracts.py``) fails when a committed file drifts.

* mart yml per dataset: descriptions (en, ``meta.description_vi``), grain, units, and the one
  kind of contract rule the gate does not run: foreign keys (``references``, a ``relationships``
  test against the referenced mart). Key uniqueness, not-null, closed value sets, exhaustive
  series and alternate keys are the gate's (``gate.contract_suite``): each rule runs once, in
  the tool that decides publication — run twice they cost ≈600 dbt nodes a main job (issue 19).
  Ranges and cross-column rules are not contract facts: they stay in the GX rule files.
* one sources yml per (dbt source name, declaring sector): each raw table with its identifier
  (the source id), description (title + known issues) and freshness (``update_frequency``).
  Published datasets that a sector combines (``inputs``) are declared as ``curated`` sources.
* the usage scenarios' exposures (one file per sector), so lineage shows who uses what.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sector_datasets.registry import FREQUENCY_DAYS, Column, Dataset, Registry, Sector, Source
from sector_datasets.settings import Settings

MARTS_DIR = Path("models") / "marts"
STAGING_DIR = Path("models") / "staging"
EXPOSURES_DIR = Path("models") / "exposures"
# Globs of every generated file kind, relative to the dbt project: sync_dbt removes a match it
# did not generate (a source or scenario that left the registry). Marts are only removed when
# they carry the generated header, since a hand-written mart yml may exist for other models.
SOURCES_GLOB = "models/staging/*/_*__sources.yml"
EXPOSURES_GLOB = "models/exposures/_*__scenarios.yml"
# dbt source name and schema of the published datasets that cross-sector marts read.
CURATED_SOURCE = "curated"
LOADED_AT_FIELD = "_loaded_at"  # set by the loader on every raw row (load.raw.META_COLUMNS)
SYNC_COMMAND = "`cli sync-dbt`"


def header(sector: Sector) -> str:
    """The first line of every generated file: where it comes from, and not to edit it."""
    return f"# Generated from include/sectors/{sector.id}.yml by {SYNC_COMMAND}; do not edit.\n"


def is_generated(text: str) -> bool:
    return text.startswith("# Generated from include/sectors/") and SYNC_COMMAND in text.split("\n", 1)[0]


class _Dumper(yaml.SafeDumper):
    """Multi-line texts (known issues) as literal blocks, so the files stay readable in review."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(sector: Sector, document: dict[str, Any]) -> str:
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return header(sector) + body


# --- marts ---------------------------------------------------------------------------------


def column_tests(registry: Registry, dataset: Dataset, column: Column) -> list[Any]:
    """The dbt tests a column's contract implies: only its foreign key, if it has one.

    Every other contract rule is in the gate's baseline suite (``gate.contract_suite``), which
    decides publication; dbt running it as well would state the rule twice.
    """
    if not column.references:
        return []
    target_dataset, field = column.references.split(".", 1)
    target = registry.dataset(target_dataset)[1].model_name
    return [{"relationships": {"arguments": {"to": f"ref('{target}')", "field": field}}}]


def render_mart(registry: Registry, sector: Sector, dataset: Dataset) -> str:
    columns = []
    for column in dataset.columns:
        meta: dict[str, Any] = {"description_vi": column.description.vi}
        if column.unit:
            meta["unit"] = column.unit
        entry: dict[str, Any] = {"name": column.name, "description": column.description.en, "meta": meta}
        tests = column_tests(registry, dataset, column)
        if tests:
            entry["data_tests"] = tests
        columns.append(entry)
    model = {
        "name": dataset.model_name,
        "description": dataset.description.en,
        "meta": {"description_vi": dataset.description.vi, "grain": dataset.grain},
        "columns": columns,
    }
    return _dump(sector, {"version": 2, "models": [model]})


def mart_path(settings: Settings, sector: Sector, dataset: Dataset) -> Path:
    """The mart's existing yml (wherever under marts/ it lives), else marts/<sector>/<model>.yml."""
    marts = settings.dbt_project_dir / MARTS_DIR
    existing = sorted(marts.rglob(f"{dataset.model_name}.yml"))
    return existing[0] if existing else marts / sector.id / f"{dataset.model_name}.yml"


def mart_files(registry: Registry, settings: Settings) -> dict[Path, str]:
    return {
        mart_path(settings, sector, dataset): render_mart(registry, sector, dataset)
        for sector in registry.sectors.values()
        for dataset in sector.datasets
    }


# --- sources -------------------------------------------------------------------------------


def _freshness(days: int | None) -> dict | None:
    # static and irregular sources have nothing to be late against: no freshness at all.
    return {"warn_after": {"count": days, "period": "day"}} if days else None


def _source_table(source: Source) -> dict[str, Any]:
    description = source.title
    if source.known_issues:
        description += "\n\nKnown issues:\n" + "\n".join(f"- {issue}" for issue in source.known_issues)
    return {
        "name": source.dbt_source.split(".", 1)[1],
        "identifier": source.id,
        "description": description,
        "config": {"freshness": _freshness(FREQUENCY_DAYS[source.update_frequency])},
    }


def _publishers(sources: list[Source]) -> str:
    names = list(dict.fromkeys(s.publisher for s in sources))
    return "Raw tables from " + "; ".join(names) + ", landed as-is (every column text)."


def sources_path(settings: Settings, name: str, sector: Sector) -> Path:
    return settings.dbt_project_dir / STAGING_DIR / name / f"_{name}__{sector.id}__sources.yml"


def source_files(registry: Registry, settings: Settings) -> dict[Path, str]:
    out: dict[Path, str] = {}
    for sector in registry.sectors.values():
        groups: dict[str, list[Source]] = {}
        for source in sector.sources:
            groups.setdefault(source.dbt_source.split(".", 1)[0], []).append(source)
        for name, sources in groups.items():
            document = {
                "name": name,
                "schema": "raw",
                "description": _publishers(sources),
                "config": {"loaded_at_field": LOADED_AT_FIELD},
                "tables": [_source_table(s) for s in sources],
            }
            out[sources_path(settings, name, sector)] = _dump(sector, {"version": 2, "sources": [document]})
        inputs = registry.input_datasets(sector)
        if inputs:
            out[sources_path(settings, CURATED_SOURCE, sector)] = _dump(sector, {"version": 2, "sources": [_curated(inputs)]})
    return out


def _curated(inputs: list[Dataset]) -> dict[str, Any]:
    # Published datasets are gated and versioned already: read through their curated.<id> views.
    return {
        "name": CURATED_SOURCE,
        "schema": CURATED_SOURCE,
        "description": "Published (gated) datasets of other sectors, through their curated.<dataset> views.",
        "tables": [{"name": d.id, "description": d.title.en} for d in inputs],
    }


def dbt_source_tables(registry: Registry) -> set[tuple[str, str]]:
    """Every (source name, table) the generated sources declare: what source() may name."""
    tables = {tuple(s.dbt_source.split(".", 1)) for s in registry.sources.values()}
    for sector in registry.sectors.values():
        tables |= {(CURATED_SOURCE, d.id) for d in registry.input_datasets(sector)}
    return tables  # type: ignore[return-value]


# --- exposures -----------------------------------------------------------------------------


def render_exposures(registry: Registry, sector: Sector) -> str:
    exposures = []
    for scenario in sector.usage_scenarios:
        models = [registry.dataset(ds)[1].model_name for ds in scenario.datasets]
        exposures.append(
            {
                "name": f"{sector.id}__{scenario.id}",
                "label": scenario.title.en,
                "type": "analysis",
                "maturity": "medium",
                "description": f"{scenario.question.en}\n\n{scenario.question.vi}\n\nUsers: {', '.join(scenario.users)}. "
                f"SQL: include/scenarios/{sector.id}/{scenario.id}.sql",
                "owner": {"name": sector.owner.organisation.en, "email": sector.owner.contact},
                "depends_on": [f"ref('{m}')" for m in models],
                "meta": {"title_vi": scenario.title.vi, "sector": sector.id},
            }
        )
    return header(sector) + yaml.safe_dump(
        {"version": 2, "exposures": exposures}, allow_unicode=True, sort_keys=False, width=100
    )


def exposure_files(registry: Registry, settings: Settings) -> dict[Path, str]:
    return {
        settings.dbt_project_dir / EXPOSURES_DIR / f"_{sector.id}__scenarios.yml": render_exposures(registry, sector)
        for sector in registry.sectors.values()
        if sector.usage_scenarios
    }


# --- all -----------------------------------------------------------------------------------


def render_all(registry: Registry, settings: Settings) -> dict[Path, str]:
    """Every generated dbt file and its text."""
    files = {**mart_files(registry, settings), **source_files(registry, settings)}
    clash = set(files) & set(exposure_files(registry, settings))
    if clash:  # cannot happen with the fixed folders; guards a future path change
        raise ValueError(f"two generated dbt files share a path: {sorted(map(str, clash))}")
    return {**files, **exposure_files(registry, settings)}


def stale_files(rendered: dict[Path, str], settings: Settings) -> list[Path]:
    """Generated files on disk that the registry no longer generates."""
    project = settings.dbt_project_dir
    candidates = set(project.glob(SOURCES_GLOB)) | set(project.glob(EXPOSURES_GLOB))
    candidates |= {p for p in (project / MARTS_DIR).rglob("*.yml") if is_generated(p.read_text(encoding="utf-8"))}
    return sorted(p for p in candidates if p not in rendered)


def sync_dbt(registry: Registry, settings: Settings) -> list[Path]:
    """Write every generated dbt yml; remove the stale ones. Returns the paths it changed."""
    rendered = render_all(registry, settings)
    changed = []
    for path in stale_files(rendered, settings):
        path.unlink()
        changed.append(path)
    for path, text in sorted(rendered.items()):
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return sorted(changed)

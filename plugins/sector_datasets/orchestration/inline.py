"""Run a sector's stages in this process, in the DAG's order, without Airflow.

The same stage functions the DAG tasks call; used by tests that need a built warehouse quickly
and by the benchmarks that separate the cost of orchestration from the cost of the work.
A failed gate is reported in the outcome (as the DAG's red publish task would be), not raised.
"""

from __future__ import annotations

from sector_datasets.orchestration import stage_groups, stages
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings


def run_sector(sector_id: str, run_id: str) -> dict[str, dict | Exception]:
    """Extract → load → transform → gate → publish → report; returns dataset id → publication or error."""
    registry = load_registry(get_settings().registry_dir)
    sector = registry.sector(sector_id)
    # the DAG's extract task: every source, a few at a time, each recorded as its own outcome
    manifests = stage_groups.extract_sources(sector_id, run_id) if registry.sources_for(sector) else []
    loaded = stages.load(sector_id, "raw", run_id, manifests) if manifests else {}
    build = stages.transform(sector_id, "dbt", run_id, source_violations=loaded.get("violations") or {})
    verdicts = stage_groups.gate_datasets(sector_id, run_id, build)  # the DAG's gate task
    outcome: dict[str, dict | Exception] = {}
    for ds in sector.datasets:
        try:
            verdict = stage_groups.verdict_of(verdicts, sector_id, ds.id)
        except stages.GateFailed as exc:
            outcome[ds.id] = exc
            continue
        outcome[ds.id] = stages.publish(sector_id, ds.id, run_id, verdict)
    stages.report(sector_id, "sector", run_id)
    return outcome


def run_all(run_id: str, sector_ids: list[str] | None = None) -> dict[str, dict[str, dict | Exception]]:
    registry = load_registry(get_settings().registry_dir)
    return {s: run_sector(s, run_id) for s in registry.run_order(sector_ids)}

"""The usage scenarios, run against the published Parquet files (not the warehouse): the
scorecard's evidence that each dataset answers the questions its sector registered."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from sector_datasets.registry import Sector
from sector_datasets.settings import Settings

SCENARIO_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class ScenarioRun:
    sector_id: str
    scenario_id: str
    title_vi: str
    title_en: str
    ok: bool
    detail: str


def run_scenarios(settings: Settings, sectors: Iterable[Sector]) -> dict[str, list[ScenarioRun]]:
    """Run the usage scenarios of ``sectors`` on the exports' ``catalog.duckdb`` (the served
    versions as ``curated.<dataset>`` tables); returns dataset id → its scenarios' outcomes.

    This checks the scenarios against what users actually get (the exports), needs no warehouse
    lock, and a slow scenario is interrupted after ``SCENARIO_TIMEOUT_S``. The catalog is brought
    up to date with the served versions first (≈0.1 s when it is): a catalog from before its
    ``curated`` tables, or one deleted, is rebuilt even by a run that serves nothing new.
    """
    from sector_datasets.publish.exports import rebuild_catalog
    from sector_datasets.scenarios import exports_connection, run_scenario

    wanted = [(sector, scenario) for sector in sectors for scenario in sector.usage_scenarios]
    if not wanted:
        return {}
    if settings.exports_dir.is_dir():
        rebuild_catalog(settings.exports_dir)
    out: dict[str, list[ScenarioRun]] = {}
    con = exports_connection(settings)
    try:
        for sector, scenario in wanted:
            timer = threading.Timer(SCENARIO_TIMEOUT_S, con.interrupt)
            timer.start()
            try:
                result = run_scenario(con, settings, sector, scenario)
                ok, detail = True, f"{result.rows} dòng / rows"
            except Exception as exc:  # a broken scenario is a finding, not a report failure
                ok, detail = False, f"{type(exc).__name__}: {exc}"[:500]
            finally:
                timer.cancel()
            outcome = ScenarioRun(sector.id, scenario.id, scenario.title.vi, scenario.title.en, ok, detail)
            for dataset_id in scenario.datasets:
                out.setdefault(dataset_id, []).append(outcome)
    finally:
        con.close()
    return out

"""Every usage scenario runs against a freshly built warehouse and returns a checked result."""

from __future__ import annotations

import pytest

from sector_datasets.registry import load_registry
from sector_datasets.scenarios import run_scenario
from sector_datasets.settings import get_settings
from sector_datasets.warehouse.duckdb_lock import connect_reader

pytestmark = pytest.mark.slow  # needs built_platform: every sector built (≈1.5 min)

REGISTRY = load_registry(get_settings().registry_dir)
SCENARIOS = [(sector, scenario) for sector in REGISTRY.sectors.values() for scenario in sector.usage_scenarios]


@pytest.mark.parametrize(
    ("sector", "scenario"), SCENARIOS, ids=[f"{s.id}/{u.id}" for s, u in SCENARIOS]
)
def test_scenario_returns_a_checked_non_empty_result(built_platform, sector, scenario):
    settings = get_settings()
    with connect_reader(settings.warehouse_path) as con:
        result = run_scenario(con, settings, sector, scenario)
    assert result.rows >= scenario.check.min_rows

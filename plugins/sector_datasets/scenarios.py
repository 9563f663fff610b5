"""Usage scenarios: executable questions over the curated tables (their dbt exposures: transform.dbt_contracts).

The registry declares each scenario (who asks what, with which datasets); its SQL lives in
``include/scenarios/<sector>/<scenario>.sql`` and reads ``curated.<dataset>`` views only. The
dbt exposures that show scenario lineage are *generated* from the registry with the other dbt
ymls (``transform.dbt_contracts``, ``cli sync-dbt``), so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


from sector_datasets.registry import Registry, Sector, UsageScenario
from sector_datasets.settings import Settings



class ScenarioError(AssertionError):
    pass


@dataclass(frozen=True)
class ScenarioResult:
    sector_id: str
    scenario_id: str
    rows: int
    columns: list[str]
    sample: list[tuple]


def scenario_sql_path(settings: Settings, sector_id: str, scenario_id: str) -> Path:
    return settings.repo_root / "include" / "scenarios" / sector_id / f"{scenario_id}.sql"


def run_scenario(con, settings: Settings, sector: Sector, scenario: UsageScenario) -> ScenarioResult:
    """Run one scenario on an open (read-only is enough) connection and check its result."""
    path = scenario_sql_path(settings, sector.id, scenario.id)
    if not path.exists():
        raise ScenarioError(f"sector {sector.id!r} scenario {scenario.id!r}: SQL file {path} is missing")
    cursor = con.execute(path.read_text(encoding="utf-8"))
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    where = f"sector {sector.id!r} scenario {scenario.id!r} ({path.name})"
    if len(rows) < scenario.check.min_rows:
        raise ScenarioError(f"{where}: {len(rows)} rows, expected at least {scenario.check.min_rows}")
    for column in scenario.check.not_null:
        if column not in columns:
            raise ScenarioError(f"{where}: result has no column {column!r} (columns: {columns})")
        idx = columns.index(column)
        nulls = sum(1 for r in rows if r[idx] is None)
        if nulls:
            raise ScenarioError(f"{where}: column {column!r} is NULL in {nulls} of {len(rows)} rows")
    return ScenarioResult(sector.id, scenario.id, len(rows), columns, rows[:5])


def exports_connection(settings: Settings, registry: Registry):
    """An in-memory DuckDB whose ``curated.<dataset>`` views read the current Parquet exports.

    The scenarios' SQL is DuckDB SQL over the published datasets; with the PostgreSQL warehouse
    it runs here, on exactly what users download.
    """
    import duckdb

    from sector_datasets.state import layout
    from sector_datasets.warehouse.duckdb_lock import quote_ident

    con = duckdb.connect()
    con.execute("CREATE SCHEMA curated")
    for dataset_id, (sector, _) in registry.datasets.items():
        parquet = layout.parquet_file(layout.current_link(settings.exports_dir, sector.id, dataset_id).resolve(), dataset_id)
        if parquet.is_file():
            path = str(parquet).replace("'", "''")
            con.execute(f"CREATE VIEW curated.{quote_ident(dataset_id)} AS SELECT * FROM read_parquet('{path}')")
    return con


@contextmanager
def scenario_connection(settings: Settings, registry: Registry) -> Iterator:
    """Where ``cli scenarios`` runs the scenarios (DuckDB SQL over ``curated.<dataset>``).

    On the DuckDB warehouse, the warehouse itself (read-only); on PostgreSQL, whose SQL differs,
    :func:`exports_connection` over the published Parquet files.
    """
    from sector_datasets.warehouse import get_backend

    backend = get_backend(settings)
    if backend.kind == "duckdb":
        with backend.connect_reader() as con:
            yield con
        return
    con = exports_connection(settings, registry)
    try:
        yield con
    finally:
        con.close()

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


def catalog_connection(catalog: Path):
    """A read-only connection to an exports ``catalog.duckdb`` (``curated.<dataset>`` tables of the
    served versions), or, when nothing has been published yet, an empty ``curated`` schema in memory
    (every scenario then fails saying which table is missing)."""
    import duckdb

    if catalog.is_file():
        return duckdb.connect(str(catalog), read_only=True)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA curated")
    return con


def exports_connection(settings: Settings):
    """The scenarios on exactly what users download: the exports' catalog. The scenarios' SQL is
    DuckDB SQL, so with the PostgreSQL warehouse it runs here."""
    from sector_datasets.state import layout

    return catalog_connection(layout.catalog_file(settings.exports_dir))


@contextmanager
def scenario_connection(settings: Settings, catalog: Path | None = None) -> Iterator:
    """Where ``cli scenarios`` runs the scenarios (DuckDB SQL over ``curated.<dataset>``): the
    given ``catalog.duckdb`` (a copied exports folder, say); else, on the DuckDB warehouse, the
    warehouse itself (read-only); on PostgreSQL, whose SQL differs, the exports' catalog.
    """
    from sector_datasets.warehouse import get_backend

    if catalog is not None:
        if not catalog.is_file():
            raise ScenarioError(f"no catalog at {catalog}: give the catalog.duckdb of an exports folder")
        con = catalog_connection(catalog)
    elif (backend := get_backend(settings)).kind == "duckdb":
        with backend.connect_reader() as con:
            yield con
        return
    else:
        con = exports_connection(settings)
    try:
        yield con
    finally:
        con.close()


def selected(registry: Registry, sector_ids: list[str]) -> list[tuple[Sector, UsageScenario]]:
    """The scenarios of ``sector_ids`` (all when empty); an unknown sector is a RegistryError."""
    sectors = [registry.sector(sid) for sid in sector_ids] if sector_ids else list(registry.sectors.values())
    return [(sector, scenario) for sector in sectors for scenario in sector.usage_scenarios]


def show(settings: Settings, wanted: list[tuple[Sector, UsageScenario]]) -> str:
    """Each scenario's question (vi, en), datasets, users and SQL, for ``cli scenarios --show``."""
    out = []
    for sector, scenario in wanted:
        path = scenario_sql_path(settings, sector.id, scenario.id)
        sql = path.read_text(encoding="utf-8").strip() if path.exists() else f"-- missing: {path}"
        out.append(
            f"-- {sector.id}/{scenario.id}: {scenario.title.vi} / {scenario.title.en}\n"
            f"-- {scenario.question.vi}\n-- {scenario.question.en}\n"
            f"-- datasets: {', '.join(scenario.datasets)}\n{sql}\n"
        )
    return "\n".join(out)


def write_result_csv(con, settings: Settings, sector: Sector, scenario: UsageScenario, out_dir: Path) -> Path:
    """The scenario's full result as ``<out_dir>/<sector>__<scenario>.csv``, written like the
    exports' CSV (UTF-8 with BOM, plain decimals)."""
    from sector_datasets.publish.export_files import write_csv

    sql = scenario_sql_path(settings, sector.id, scenario.id).read_text(encoding="utf-8").strip().rstrip(";")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{sector.id}__{scenario.id}.csv"
    write_csv(con, f"({sql}) AS scenario_result", target)
    return target


def run_and_print(con, settings: Settings, wanted: list[tuple[Sector, UsageScenario]], csv_dir: Path | None) -> int:
    """``cli scenarios``: run each scenario, print one line for it, write its CSV; the failures' count."""
    failed = 0
    for sector, scenario in wanted:
        try:
            result = run_scenario(con, settings, sector, scenario)
            written = f" → {write_result_csv(con, settings, sector, scenario, csv_dir)}" if csv_dir else ""
            print(f"ok    {sector.id}/{scenario.id}: {result.rows} rows — {scenario.title.en}{written}")
        except Exception as exc:  # a broken scenario must not hide the others
            failed += 1
            print(f"FAIL  {sector.id}/{scenario.id}: {exc}")
    return failed

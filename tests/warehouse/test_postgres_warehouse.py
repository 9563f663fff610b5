"""PostgreSQL mode: the same pipeline, dbt models, suites and registry on a PostgreSQL warehouse.

Against the local PostgreSQL server (127.0.0.1:5432, user postgres; ``.ci/run`` makes sure it
answers), in a fresh uniquely-named database that is dropped afterwards. Two sectors — transport
(GTFS + OpenFlights: regular expressions, decimals, corrections, string_agg) and health (World
Bank indicators, bulk CSV unpivot, cached JSON, OWID, WHO) — are built through the real stages
(``inline.run_sector``: extract → load → dbt build → gate → publish → report) once on DuckDB and
once on PostgreSQL, and the curated tables must match row for row (sorted rows, floats within a
relative 1e-9), as must the published Parquet exports and their data dictionaries.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from devtools.compare import compare_curated
from devtools.compare import compare_rows
from sector_datasets.warehouse.pg_connection import PgConnection
from tests.helpers import private_pg_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SECTORS = ("transport", "health")
REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _environment(**values: str):
    previous = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def pg_dsn():
    yield from private_pg_database("sd_test")


@pytest.fixture(scope="module")
def builds(tmp_path_factory, pg_dsn):
    """Both builds of SECTORS: homes, outcomes per sector and wall time per warehouse."""
    from sector_datasets.orchestration import inline

    out = SimpleNamespace(pg_dsn=pg_dsn, seconds={}, outcomes={})
    for kind in ("duckdb", "postgres"):
        home = tmp_path_factory.mktemp(f"{kind}_home")
        env = {"SECTOR_DATASETS_HOME": str(home), "SECTOR_DATASETS_WAREHOUSE_KIND": kind}
        if kind == "postgres":
            env["SECTOR_DATASETS_PG_DSN"] = pg_dsn
        with _environment(**env):
            started = time.monotonic()
            out.outcomes[kind] = {s: inline.run_sector(s, f"parity_{kind}") for s in SECTORS}
            out.seconds[kind] = round(time.monotonic() - started, 1)
        setattr(out, f"{kind}_home", home)
    print(f"\nsectors {', '.join(SECTORS)}: DuckDB {out.seconds['duckdb']}s, PostgreSQL {out.seconds['postgres']}s")
    return out


def _datasets(builds) -> list[str]:
    return sorted(ds for outcome in builds.outcomes["duckdb"].values() for ds in outcome)


def test_every_dataset_passes_its_gate_and_publishes_on_both_warehouses(builds):
    for kind, outcomes in builds.outcomes.items():
        failed = {ds: str(r)[:400] for o in outcomes.values() for ds, r in o.items() if isinstance(r, Exception)}
        assert not failed, f"{kind}: {failed}"
        versions = {ds: r["version"] for o in outcomes.values() for ds, r in o.items()}
        assert set(versions.values()) == {1}, f"{kind}: {versions}"


def test_curated_tables_match_the_duckdb_build_row_for_row(builds):
    datasets = _datasets(builds)
    assert len(datasets) >= 8
    differences = compare_curated(builds.duckdb_home / "warehouse.duckdb", builds.pg_dsn, datasets)
    assert differences == [], "\n".join(differences)


def test_exports_and_data_dictionaries_are_the_same(builds):
    for dataset in _datasets(builds):
        sector = next(s for s, o in builds.outcomes["duckdb"].items() if dataset in o)
        folders = [home / "exports" / sector / dataset / "current" for home in (builds.duckdb_home, builds.postgres_home)]
        con = duckdb.connect()
        try:
            schemas, rows = [], []
            for folder in folders:
                parquet = str(folder / f"{dataset}.parquet")
                schemas.append(con.execute(f"DESCRIBE SELECT * FROM read_parquet('{parquet}')").fetchall())
                rows.append(con.execute(f"SELECT * FROM read_parquet('{parquet}')").fetchall())
        finally:
            con.close()
        assert schemas[0] == schemas[1], f"{dataset}: Parquet types differ"
        assert compare_rows(dataset, rows[0], rows[1], [c[0] for c in schemas[0]]) == []
        csv_headers = [(folder / f"{dataset}.csv").read_text(encoding="utf-8").splitlines()[0] for folder in folders]
        assert csv_headers[0] == csv_headers[1]
        dictionaries = [
            [(c["name"], c["type"]) for c in json.loads((folder / "metadata.json").read_text())["columns"]]
            for folder in folders
        ]
        assert dictionaries[0] == dictionaries[1], f"{dataset}: data dictionary differs"


def test_postgres_holds_versions_view_gate_results_and_state(builds):
    con = PgConnection(builds.pg_dsn, read_only=True)
    try:
        for dataset in _datasets(builds):
            assert con.execute(
                "SELECT table_type FROM information_schema.tables WHERE table_schema = 'curated' AND table_name = ?",
                [dataset],
            ).fetchone() == ("VIEW",)
            assert con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'curated' AND table_name = ?",
                [f"{dataset}__v0001"],
            ).fetchone() == (1,)
            success, result = con.execute(
                "SELECT success, result FROM quality.validation_results WHERE dataset_id = ?", [dataset]
            ).fetchone()
            assert success is True and json.loads(result)["dataset_id"] == dataset
            assert con.execute("SELECT status FROM meta.dataset_state WHERE dataset_id = ?", [dataset]).fetchone() == (
                "published",
            )
    finally:
        con.close()


def test_an_unchanged_rerun_on_postgres_publishes_nothing_new(builds):
    from sector_datasets.orchestration import inline

    with _environment(
        SECTOR_DATASETS_HOME=str(builds.postgres_home), SECTOR_DATASETS_WAREHOUSE_KIND="postgres",
        SECTOR_DATASETS_PG_DSN=builds.pg_dsn,
    ):
        outcome = inline.run_sector("transport", "parity_postgres_rerun")
    assert all(isinstance(r, dict) and r.get("skipped") and r.get("unchanged") for r in outcome.values()), outcome


# Cross-database macros on hand-picked edge cases: dbt renders each macro for its target
# (`dbt show --inline`), every macro runs on every input, and the values must agree with DuckDB's.
MACRO_INPUTS = [
    " 1.5 ", "1e3", ".5", "5.", "+5", "-0.25", "-2.5", "2.675", "0.125", "1.005", "12.3456785", "1000",
    "2147483648", "1_000.5", "35_1", "1e1_0", "inf", "NaN", "abc", "", "1,5", "12abc", "12_BRT01_2",
    "2020-01-05", "2020-1-5", " 2020-02-29 ", "2021-02-29", "2020-13-01", "20200105", "2020-01-01T10:00:00Z",
    "2019-10-07 09:00 PM", "2020-01-01 12:00 AM", "2019-1-7 1:05 am", "2019-10-07 21:00",
    "Thành phố Hà Nội", "Bà Rịa–Vũng Tàu", "Thừa Thiên Huế", "Đắk Lắk", "Hoà Bình", None,
]
MACRO_EXPRESSIONS = {
    "try_double": "{{ sd_try_cast('v', 'double') }}",
    "try_integer": "{{ sd_try_cast('v', 'integer') }}",
    "try_bigint": "{{ sd_try_cast('v', 'bigint') }}",
    "try_decimal": "{{ sd_try_cast('v', 'decimal(9, 6)') }}",
    "try_date": "{{ sd_try_cast('v', 'date') }}",
    "round_2": "{{ sd_round(sd_try_cast('v', 'double'), 2) }}",
    "round_0": "{{ sd_round(sd_try_cast('v', 'double') ~ ' * 1000', 0) }}",
    "extract_2": "{{ sd_regexp_extract('v', \"'^(.+)_([0-9]+)$'\", 2) }}",
    "matches": "{{ sd_regexp_matches('v', \"'^[0-9]+\\\\b'\") }}",
    "name_key": "{{ vn_name_key('v') }}",
    "ascii": "{{ sd_nfc(sd_strip_accents('v')) }}",
    "tone": "regexp_replace(v, {{ sd_regex(\"'(^|[^qQ])oà(\\\\P{L}|$)'\") }}, '\\1òa\\2', 'g')",
    "strptime": "{{ sd_try_strptime('v', '%Y-%m-%d %I:%M %p') }}",
}


def _show(target_env: dict[str, str], sql: str, home: Path) -> list[dict]:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, **target_env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    proc = subprocess.run(
        [str(dbt), "--quiet", "show", "--inline", sql, "--output", "json", "--limit", "-1",
         "--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO / "dbt_project"),
         "--target-path", str(home / "target"), "--log-path", str(home / "logs")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(proc.stdout[proc.stdout.index("{"):])["show"]


def test_cross_database_macros_agree_on_edge_cases(builds, tmp_path):
    from sector_datasets.warehouse import get_backend
    from sector_datasets.settings import get_settings

    def literal(value: str | None) -> str:
        return "cast(null as varchar)" if value is None else "'" + value.replace("'", "''") + "'"

    inputs = " union all ".join(f"select {i} as n, {literal(v)} as v" for i, v in enumerate(MACRO_INPUTS))
    columns = ", ".join(f"{expression} as {name}" for name, expression in MACRO_EXPRESSIONS.items())
    sql = f"with inputs as ({inputs}) select n, v, {columns} from inputs order by n"
    with _environment(SECTOR_DATASETS_WAREHOUSE_KIND="postgres", SECTOR_DATASETS_PG_DSN=builds.pg_dsn):
        pg_env = get_backend(get_settings()).dbt_env()  # the helper functions exist after the build
    duck_env = {"SECTOR_DATASETS_DBT_TARGET": "duckdb", "SECTOR_DATASETS_WAREHOUSE": str(tmp_path / "macros.duckdb")}
    names = ["n", "v", *MACRO_EXPRESSIONS]
    duck = [tuple(row[c] for c in names) for row in _show(duck_env, sql, tmp_path / "duckdb")]
    pg = [tuple(row[c] for c in names) for row in _show(pg_env, sql, tmp_path / "postgres")]
    assert len(duck) == len(pg) == len(MACRO_INPUTS)
    assert compare_rows("macros", duck, pg, names) == []
    by_input = {row[1]: dict(zip(names, row, strict=True)) for row in duck}
    # a few values pinned, so that both sides agreeing on nonsense would not pass
    assert by_input[" 1.5 "]["try_integer"] == 2 and by_input["-2.5"]["try_integer"] == -3
    assert by_input["2147483648"]["try_integer"] is None and by_input["2147483648"]["try_bigint"] == 2147483648
    assert by_input["0.125"]["round_2"] == 0.13 and by_input["-2.5"]["round_0"] == -2500
    assert by_input["2021-02-29"]["try_date"] is None and by_input["2020-1-5"]["try_date"] == "2020-01-05"
    assert by_input["12_BRT01_2"]["extract_2"] == "2" and by_input["abc"]["extract_2"] == ""
    assert by_input["Bà Rịa–Vũng Tàu"]["name_key"] == "bariavungtau" and by_input["Đắk Lắk"]["ascii"] == "Đak Lak"
    assert by_input["Hoà Bình"]["tone"] == "Hòa Bình"
    assert by_input["2020-01-01 12:00 AM"]["strptime"] == "2020-01-01T00:00:00"

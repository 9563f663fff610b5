"""The bare-DuckDB baseline: dbt's own compiled SQL and the suites as hand-written SQL, run
directly in one DuckDB connection over the same raw tables.

* ``compile_manifest`` runs ``dbt compile`` once into a private target folder; ``manifest.json``
  then carries every node's ``compiled_code``, materialisation, schema and parents.
* ``sector_plan`` picks what ``dbt build --select +path:models/marts/<sector>
  --indirect-selection cautious`` (``transform.build_sector``) builds for a sector: the marts,
  every model/seed upstream of them and every data test whose parents are all selected, in
  dependency order.
* ``strip_to_inputs`` turns a copy of a built warehouse back into "raw tables only" (plus the
  seed tables, which are inputs like raw ones).
* ``run_sector`` executes a plan: CREATE VIEW / CREATE TABLE AS for models, ``SELECT count(*)``
  over each compiled data test, the suite checks (``sqlchecks``) and the publish step's work
  (a versioned table copy, the curated view, Parquet + CSV exports).
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import PYTHON, REPO
from bench.sqlchecks import q, run_suite, suite_sql

DBT_PROJECT = REPO / "dbt_project"


def dbt_exe() -> str:
    return str(Path(PYTHON).with_name("dbt"))


def compile_manifest(warehouse: Path, target_dir: Path, env: dict[str, str]) -> dict:
    """``dbt compile`` of the whole project (no run) into ``target_dir``; returns manifest.json."""
    target_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        dbt_exe(), "compile", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(target_dir), "--log-path", str(target_dir / "logs"), "--quiet",
    ]
    proc = subprocess.run(cmd, env={**env, "SECTOR_DATASETS_WAREHOUSE": str(warehouse)}, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"dbt compile failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads((target_dir / "manifest.json").read_text())


@dataclass
class Plan:
    sector_id: str
    nodes: list[dict] = field(default_factory=list)  # seeds/models/tests in dependency order

    @property
    def models(self) -> list[dict]:
        return [n for n in self.nodes if n["resource_type"] == "model"]

    @property
    def tests(self) -> list[dict]:
        return [n for n in self.nodes if n["resource_type"] == "test"]


def _parents(node: dict) -> list[str]:
    return [p for p in node.get("depends_on", {}).get("nodes", []) if not p.startswith("macro.")]


def sector_plan(manifest: dict, sector_id: str, mart_prefix: str | None = None) -> Plan:
    nodes = manifest["nodes"]
    prefix = mart_prefix or f"models/marts/{sector_id}/"
    marts = [uid for uid, n in nodes.items() if n["resource_type"] == "model" and n["original_file_path"].startswith(prefix)]
    selected: set[str] = set()
    stack = list(marts)
    while stack:
        uid = stack.pop()
        if uid in selected:
            continue
        selected.add(uid)
        stack.extend(_parents(nodes[uid]) if uid in nodes else [])
    # cautious indirect selection: a test runs only when every parent is selected
    tests = [
        uid for uid, n in nodes.items()
        if n["resource_type"] == "test" and _parents(n) and all(p in selected for p in _parents(n))
    ]
    runnable = {u for u in selected if u in nodes and nodes[u]["resource_type"] in ("model", "seed")} | set(tests)
    order: list[str] = []
    done: set[str] = set()

    def visit(uid: str) -> None:
        if uid in done or uid not in runnable:
            return
        done.add(uid)
        for p in _parents(nodes[uid]):
            visit(p)
        order.append(uid)

    for uid in sorted(runnable, key=lambda u: (nodes[u]["resource_type"] == "test", u)):
        visit(uid)
    return Plan(sector_id, [nodes[u] for u in order])


def relation(node: dict) -> str:
    return f"{q(node['schema'])}.{q(node.get('alias') or node['name'])}"


def strip_to_inputs(con, manifest: dict) -> None:
    """Drop everything dbt, the gate and publish made; keep raw.* and the seed tables."""
    seeds = {(n["schema"], n.get("alias") or n["name"]) for n in manifest["nodes"].values() if n["resource_type"] == "seed"}
    for schema, name, kind in con.execute(
        "SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() WHERE NOT internal "
        "UNION ALL SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE NOT internal"
    ).fetchall():
        if schema == "raw" or (schema, name) in seeds:
            continue
        con.execute(f"DROP {kind} IF EXISTS {q(schema)}.{q(name)} CASCADE")
    for schema in ("staging", "intermediate", "audit", "curated", "meta", "quality"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")


@dataclass
class SectorTiming:
    transform_s: float = 0.0
    dbt_tests_s: float = 0.0
    checks_s: float = 0.0
    publish_s: float = 0.0
    models: int = 0
    tests: int = 0
    failing_tests: list[str] = field(default_factory=list)
    checks: dict[str, dict[int, bool]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)


def run_models(con, plan: Plan) -> float:
    t0 = time.perf_counter()
    for node in plan.nodes:
        if node["resource_type"] != "model":
            continue
        mat = node["config"]["materialized"]
        if mat == "view":
            con.execute(f"CREATE OR REPLACE VIEW {relation(node)} AS {node['compiled_code']}")
        elif mat == "table":
            con.execute(f"CREATE OR REPLACE TABLE {relation(node)} AS {node['compiled_code']}")
        else:
            raise RuntimeError(f"materialization {mat!r} of {node['unique_id']} not handled by the bare runner")
    return time.perf_counter() - t0


def run_tests(con, plan: Plan) -> tuple[float, list[str]]:
    t0 = time.perf_counter()
    failing = []
    for node in plan.tests:
        n = con.execute(f"SELECT count(*) FROM ({node['compiled_code']}) dbt_internal_test").fetchone()[0]
        if n and node["config"].get("severity", "error").lower() == "error":
            failing.append(node["name"])
    return time.perf_counter() - t0, failing


def publish_equivalent(con, dataset_id: str, model: str, exports: Path) -> None:
    """What publish does, minus bookkeeping: version table, curated view, Parquet + CSV."""
    vt = f"curated.{q(dataset_id + '__v0001')}"
    con.execute("BEGIN")
    con.execute(f"CREATE OR REPLACE TABLE {vt} AS SELECT * FROM audit.{q(model)}")
    con.execute(f"CREATE OR REPLACE VIEW curated.{q(dataset_id)} AS SELECT * FROM {vt}")
    con.execute("COMMIT")
    out = exports / dataset_id
    out.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * FROM {vt}) TO '{out / (dataset_id + '.parquet')}' (FORMAT parquet, COMPRESSION zstd)")
    con.execute(f"COPY (SELECT * FROM {vt}) TO '{out / (dataset_id + '.csv')}' (FORMAT csv, HEADER true)")


def run_sector(con, plan: Plan, datasets: list[tuple[str, str, Path]], exports: Path,
               row_count_scale: dict[str, tuple[int, int]] | None = None) -> SectorTiming:
    """``datasets``: (dataset_id, model_name, suite_path) of the sector."""
    t = SectorTiming(models=len(plan.models), tests=len(plan.tests))
    t.transform_s = run_models(con, plan)
    t.dbt_tests_s, t.failing_tests = run_tests(con, plan)
    passed = {}
    t0 = time.perf_counter()
    for dataset_id, model, suite in datasets:
        s = suite_sql(suite, "audit", model, row_count_scale=(row_count_scale or {}).get(dataset_id))
        res = run_suite(con, s)
        t.checks[dataset_id] = res
        t.skipped[dataset_id] = s.skipped
        passed[dataset_id] = all(res.values())
    t.checks_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for dataset_id, model, _ in datasets:
        if passed[dataset_id]:
            publish_equivalent(con, dataset_id, model, exports)
    t.publish_s = time.perf_counter() - t0
    return t

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
  over each compiled data test, the suite checks (``sqlchecks``), for a dataset that already
  serves a version the review diff's work (``diff_equivalent``: one FULL OUTER JOIN by the key
  counting added / removed / revised rows, and the periods added / removed both ways), and the
  publish step's work (a versioned table copy, the curated view, Parquet + CSV exports).
* ``bare_job`` runs all that in a fresh interpreter (``_drivers/bare_run.py``) on a stripped copy
  of a home's warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import PYTHON, REPO, driver, log, platform_env
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
    # cautious indirect selection: a test runs only when every parent is selected; and only a test
    # the sector's build compiled (it excludes the shared reference lineage's tests, which the
    # reference DAG runs: transform.build.selection_args)
    tests = [
        uid for uid, n in nodes.items()
        if n["resource_type"] == "test" and "compiled_code" in n and _parents(n) and all(p in selected for p in _parents(n))
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


def strip_to_inputs(con, manifest: dict, keep: frozenset[tuple[str, str]] = frozenset()) -> None:
    """Drop everything dbt, the gate and publish made; keep raw.*, the seed tables and ``keep``
    ((schema, table): e.g. a served version the bare diff compares with)."""
    seeds = {(n["schema"], n.get("alias") or n["name"]) for n in manifest["nodes"].values() if n["resource_type"] == "seed"}
    seeds |= set(keep)
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
    diff_s: float = 0.0
    publish_s: float = 0.0
    models: int = 0
    tests: int = 0
    failing_tests: list[str] = field(default_factory=list)
    checks: dict[str, dict[int, bool]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    diffs: dict[str, dict] = field(default_factory=dict)


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


NUMERIC = ("DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "SMALLINT", "HUGEINT", "DECIMAL")


def diff_equivalent(con, candidate: str, served: str, keys: list[str], period: str | None) -> dict:
    """The review diff's work as hand-written SQL: one FULL OUTER JOIN by the key counting added,
    removed and revised rows (any other column IS DISTINCT FROM) with the largest relative
    revision of each numeric column, and the periods added / removed (DISTINCT … EXCEPT both ways)."""
    types = {name: typ for name, typ, *_ in con.execute(f"DESCRIBE {candidate}").fetchall()}
    other = [c for c in types if c not in keys]
    on = " AND ".join(f"c.{q(k)} = s.{q(k)}" for k in keys)
    k0 = q(keys[0])
    both = f"c.{k0} IS NOT NULL AND s.{k0} IS NOT NULL"
    revised = " OR ".join(f"c.{q(c)} IS DISTINCT FROM s.{q(c)}" for c in other) or "FALSE"
    rel = [f"max(abs(c.{q(c)} - s.{q(c)}) / abs(s.{q(c)})) FILTER (WHERE {both} AND s.{q(c)} <> 0)"
           for c in other if types[c].startswith(NUMERIC)]
    added, removed, changed, *_ = con.execute(
        f"SELECT count(*) FILTER (WHERE s.{k0} IS NULL), count(*) FILTER (WHERE c.{k0} IS NULL), "
        f"count(*) FILTER (WHERE {both} AND ({revised})){''.join(', ' + r for r in rel)} "
        f"FROM {candidate} c FULL OUTER JOIN {served} s ON {on}"
    ).fetchone()
    periods = {}
    if period:
        for name, a, b in (("added", candidate, served), ("removed", served, candidate)):
            periods[name] = [r[0] for r in con.execute(
                f"SELECT DISTINCT {q(period)} FROM {a} EXCEPT SELECT DISTINCT {q(period)} FROM {b} ORDER BY 1").fetchall()]
    return {"added": added, "removed": removed, "changed": changed, "periods": periods}


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
               row_count_scale: dict[str, tuple[int, int]] | None = None,
               served: dict[str, tuple[str, list[str], str | None]] | None = None) -> SectorTiming:
    """``datasets``: (dataset_id, model_name, suite_path) of the sector; ``served``: dataset_id →
    (served version table, primary key, period column) of the datasets that already serve one."""
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
        if passed[dataset_id] and dataset_id in (served or {}):
            table, keys, period = served[dataset_id]
            t.diffs[dataset_id] = diff_equivalent(con, f"audit.{q(model)}", table, keys, period)
    t.diff_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for dataset_id, model, _ in datasets:
        if passed[dataset_id]:
            publish_equivalent(con, dataset_id, model, exports)
    t.publish_s = time.perf_counter() - t0
    return t


def prepare_bare(inline_home: Path, target: Path, keep: frozenset[tuple[str, str]] = frozenset()) -> Path:
    """A copy of the inline run's warehouse holding only its inputs (raw tables + seeds + ``keep``)."""
    import duckdb

    target.mkdir(parents=True, exist_ok=True)
    wh = target / "warehouse.duckdb"  # same file stem: the compiled SQL names the catalog
    shutil.copyfile(inline_home / "warehouse.duckdb", wh)
    manifests = sorted((inline_home / "bench_manifests").glob("*.json"))
    con = duckdb.connect(str(wh))
    try:
        strip_to_inputs(con, json.loads(manifests[0].read_text()), keep)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return wh


def bare_job(inline_home: Path, sectors: list[str], scale: dict | None = None,
             served: dict[str, tuple[str, list[str], str | None]] | None = None) -> dict:
    """The bare-DuckDB run of ``sectors`` on a stripped copy of ``inline_home``'s warehouse;
    ``served``: as for :func:`run_sector`, with ``curated.<table>`` relations kept by the strip."""
    work = Path(os.path.join(inline_home, "bare"))
    if work.exists():
        shutil.rmtree(work)
    keep = frozenset(tuple(t.split(".", 1)) for t, _, _ in (served or {}).values())
    wh = prepare_bare(inline_home, work, keep)
    env = platform_env(inline_home)
    args = [str(wh), str(inline_home / "bench_manifests"), str(work / "exports"), *sectors]
    if scale:
        args += ["--scale", json.dumps(scale)]
    if served:
        args += ["--served", json.dumps(served)]
    m = driver("bare_run.py", *args, env=env).check("bare DuckDB run")
    res = m.json_tail()
    stages = defaultdict(float)
    for s in res["sectors"].values():
        for k in ("transform_s", "dbt_tests_s", "checks_s", "diff_s", "publish_s"):
            stages[k[:-2]] += s[k]
    stages["python start + imports"] = m.wall_s - res["work_s"]
    log(f"  bare DuckDB: work {res['work_s']:.2f} s (process {m.wall_s:.1f} s wall, {m.user_s + m.sys_s:.1f} s CPU); "
        + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    return {"wall_s": m.wall_s, "cpu_s": m.user_s + m.sys_s, "work_s": res["work_s"], "stages": dict(stages), "result": res}

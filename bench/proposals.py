#!/usr/bin/env python
"""Speed-ups the other benchmarks call for, measured before/after without touching the platform.

P1  one Airflow interpreter for the whole main job: ``cli run`` starts one ``airflow dags test``
    process per sector; each pays Python + Airflow imports, the DAG file parse (+ writing every
    DAG to the metadata DB), the in-process execution API start-up and Great Expectations'
    import again. bench/_drivers/airflow_batch.py does the same ``dag.test()`` per DAG in one
    interpreter. Before = ``cli run --sector …``; after = ``airflow db migrate`` + pool + the
    batch driver, same sectors, fresh homes, sequential.
P2  a shared GX context per gate process: today every ``validate_table`` builds an ephemeral
    context, a SQL datasource (engine, test connection) and writes the suite and a validation
    definition into GX's stores before validating. bench/_drivers/gate_shared.py validates the
    same suites on the same tables with one context + datasource and ``batch.validate(suite)``.

Both must give the same outcomes (checked and printed).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import airflow_log  # noqa: E402
from bench.common import PYTHON, Report, driver, log, machine_load, platform_env, private_home, remove_home, run  # noqa: E402


def p1(sectors: list[str], keep: bool) -> dict:
    from sector_datasets.airflow_env import airflow_environment
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import get_settings

    ids = load_registry(get_settings().registry_dir).run_order(sectors)
    home = private_home("p1-before")
    try:
        log(f"P1 before: cli run --sector {' --sector '.join(ids)} …")
        before = run([PYTHON, "-m", "sector_datasets.cli", "run", *sum((["--sector", s] for s in ids), [])], env=platform_env(home))
        before_ok = before.returncode == 0
        log(f"  {before.wall_s:.1f} s wall, {before.user_s + before.sys_s:.1f} s CPU, exit {before.returncode}")
    finally:
        remove_home(home, keep)
    home = private_home("p1-after")
    try:
        os.environ["SECTOR_DATASETS_HOME"] = str(home)
        env = {**platform_env(home), **airflow_environment(get_settings())}
        airflow = str(Path(PYTHON).with_name("airflow"))
        log("P1 after: airflow db migrate + pool + one interpreter running dag.test() per sector …")
        a = run([airflow, "db", "migrate"], env=env).check("db migrate")
        b = run([airflow, "pools", "set", "sector_datasets_warehouse", "1", "bench"], env=env).check("pools set")
        c = run([PYTHON, str(Path(__file__).parent / "_drivers" / "airflow_batch.py"), *[f"sector_{s}" for s in ids]], env=env)
        res = c.json_tail()
        after_wall = a.wall_s + b.wall_s + c.wall_s
        after_cpu = sum(x.user_s + x.sys_s for x in (a, b, c))
        states = {d["dag_id"]: d["state"] for d in res["dags"]}
        log(f"  {after_wall:.1f} s wall, {after_cpu:.1f} s CPU; states {states}")
        # per-DAG breakdown from the one process' output
        chunks = (c.stdout + c.stderr).split("##### BENCH DAG ")
        stages: dict[str, float] = defaultdict(float)
        for d in res["dags"]:
            text = next((ch for ch in chunks if ch.startswith(f"{d['dag_id']} begin")), "")
            for k, v in airflow_log.breakdown(text, d["s"]).items():
                if not k.startswith("_"):
                    stages[k] += v
        return {"before_wall_s": before.wall_s, "before_cpu_s": before.user_s + before.sys_s, "before_ok": before_ok,
                "after_wall_s": after_wall, "after_cpu_s": after_cpu, "after_states": states, "after_stages": dict(stages),
                "sectors": ids}
    finally:
        remove_home(home, keep)


def p2(sector: str, keep: bool, base_home: Path | None = None) -> dict:
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import get_settings

    home = private_home("p2")
    try:
        if base_home:
            import shutil

            shutil.copyfile(base_home / "warehouse.duckdb", home / "warehouse.duckdb")
        else:
            log(f"P2: building {sector} (real data) for the gate comparison …")
            driver("stages_run.py", sector, "bench_p2", "--stages", "extract,load,transform", env=platform_env(home)).check("build")
        datasets = [d.id for d in load_registry(get_settings().registry_dir).sector(sector).datasets]
        m = driver("gate_shared.py", str(home / "warehouse.duckdb"), *datasets, env=platform_env(home)).check("gate_shared")
        res = m.json_tail()
        log(f"  today {res['current_s']:.2f} s, shared context {res['shared_s']:.2f} s, + BOOLEAN_ONLY {res['boolean_s']:.2f} s "
            f"for {len(datasets)} datasets; "
            f"same verdicts: {res['same_verdicts']}")
        res["datasets"] = datasets
        return res
    finally:
        remove_home(home, keep)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="P2 only, on the agriculture sector")
    ap.add_argument("--sector", action="append", default=[], help="sectors for P1 (default: every sector)")
    ap.add_argument("--gate-sector", default="agriculture", help="sector for P2 (default agriculture)")
    ap.add_argument("--skip", action="append", default=[], choices=["p1", "p2"])
    ap.add_argument("--base-home", type=Path, help="P2 on this home's built warehouse (must hold --gate-sector)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    rep = Report(f"Speed-up proposals, before / after ({machine_load()})")
    data = {}
    if "p1" not in args.skip and not args.smoke:
        r = p1(args.sector, args.keep)
        data["p1"] = r
        rep.ratio(f"P1 one Airflow interpreter: after / before (wall, {len(r['sectors'])} sectors)", r["after_wall_s"], r["before_wall_s"])
        rep.ratio("P1 one Airflow interpreter: after / before (CPU)", r["after_cpu_s"], r["before_cpu_s"])
        rep.ratio("P1 after / 90 s target (wall)", r["after_wall_s"], 90.0)
        for k, v in sorted(r["after_stages"].items(), key=lambda kv: -kv[1]):
            rep.ratio(f"  P1 after share: {k}", v, r["after_wall_s"], f"{v:.1f} s of {r['after_wall_s']:.1f} s")
        rep.note(f"P1 outcomes: before exit {'0' if r['before_ok'] else 'non-zero'}; after DAG-run states {r['after_states']}")
    if "p2" not in args.skip:
        r = p2(args.gate_sector, args.keep, args.base_home)
        data["p2"] = r
        rep.ratio(f"P2 shared GX context: after / before ({len(r['datasets'])} gates)", r["shared_s"], r["current_s"])
        rep.ratio(f"P2b shared context + BOOLEAN_ONLY results: after / before", r["boolean_s"], r["current_s"])
        rep.note(f"P2 verdicts identical: {r['same_verdicts']} ({r['current']})")
    rep.data = data
    rep.print()
    rep.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

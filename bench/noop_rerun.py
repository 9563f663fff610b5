#!/usr/bin/env python
"""Benchmark 4 — no-op rerun: a second run with unchanged source payloads vs the full first run.

Both runs happen in the same private SECTOR_DATASETS_HOME, so the second one finds everything
the first one left (landing zone, warehouse, published versions, dbt's partial-parse cache);
the payloads replayed are the same. Measured both without Airflow (the stage functions in one
process, every sector) and through Airflow (``cli run``, for --airflow-sector), and reported as
rerun / full ratios per stage, with how many new versions each run published — so it shows
whatever the code does today: a short-circuit if there is one, a full rebuild if not.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import airflow_log  # noqa: E402
from bench.common import PYTHON, Report, driver, log, machine_load, platform_env, private_home, remove_home, run  # noqa: E402


def inline_once(home: Path, run_id: str, sectors: list[str]) -> dict:
    m = driver("inline_run.py", run_id, *sectors, env=platform_env(home)).check(f"inline {run_id}")
    res = m.json_tail()
    stages = defaultdict(float)
    for t in res["timings"]:
        stages[t["stage"]] += t["s"]
    return {"wall_s": m.wall_s, "cpu_s": m.user_s + m.sys_s, "stages": dict(stages), "new_versions": res["new_versions"],
            "datasets": res["datasets"], "failed": res["failed"]}


def airflow_once(home: Path, sectors: list[str]) -> dict:
    cmd = [PYTHON, "-m", "sector_datasets.cli", "run", *sum((["--sector", s] for s in sectors), [])]
    m = run(cmd, env=platform_env(home))
    stages: dict[str, float] = defaultdict(float)
    walls = [float(x.split("in ", 1)[1].split("s", 1)[0]) for x in m.stdout.splitlines() if x.strip().startswith(("ok in", "FAILED in"))]
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import REPO_ROOT

    ids = load_registry(REPO_ROOT / "include" / "sectors").run_order(sectors)
    for sector_id, wall in zip(ids, walls):
        path = home / "logs" / f"sector_{sector_id}.log"
        for k, v in airflow_log.breakdown(path.read_text() if path.exists() else "", wall).items():
            if not k.startswith("_"):
                stages[k] += v
    return {"wall_s": m.wall_s, "cpu_s": m.user_s + m.sys_s, "stages": dict(stages), "returncode": m.returncode,
            "versions_line": [l for l in m.stdout.splitlines() if " v" in l][-12:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="one sector, no Airflow")
    ap.add_argument("--sector", action="append", default=[], help="sectors for the no-Airflow runs (default: all)")
    ap.add_argument("--airflow-sector", action="append", default=[],
                    help="sectors for the runs through Airflow (default: agriculture; 'none' to skip)")
    ap.add_argument("--base-home", type=Path, help="the full run is this inline home's run (made by overhead.py / run_all --smoke); the rerun happens in a copy of it")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    sectors = args.sector or (["agriculture"] if args.smoke else [])
    af_sectors = [] if args.smoke or args.airflow_sector == ["none"] else (args.airflow_sector or ["agriculture"])
    rep = Report(f"No-op rerun vs full run ({machine_load()})")
    data = {}
    home = private_home("noop-inline")
    try:
        if args.base_home:
            import json
            import shutil

            shutil.rmtree(home)
            shutil.copytree(args.base_home, home, symlinks=True)
            base = json.loads((args.base_home / "inline_result.json").read_text())
            sectors = base["sectors"]
            full = {k: base[k] for k in ("wall_s", "cpu_s", "stages", "new_versions", "datasets", "failed")}
            full["stages"] = {k: v for k, v in full["stages"].items() if k != "python start + imports"}
            log(f"no Airflow: full run = {args.base_home} ({', '.join(sectors) or 'every sector'}); rerun in a copy")
        else:
            log(f"no Airflow: full run of {', '.join(sectors) or 'every sector'} …")
            full = inline_once(home, "bench_full", sectors)
        log(f"  full:  {full['wall_s']:.1f} s wall, {full['cpu_s']:.1f} s CPU, {full['new_versions']}/{full['datasets']} new versions")
        log("no Airflow: rerun, same payloads, same home …")
        again = inline_once(home, "bench_rerun", sectors)
        log(f"  rerun: {again['wall_s']:.1f} s wall, {again['cpu_s']:.1f} s CPU, {again['new_versions']}/{again['datasets']} new versions")
        data["inline"] = {"full": full, "rerun": again}
        rep.ratio("inline rerun / full (wall)", again["wall_s"], full["wall_s"])
        rep.ratio("inline rerun / full (CPU)", again["cpu_s"], full["cpu_s"])
        for stage in full["stages"]:
            rep.ratio(f"  inline {stage}: rerun / full", again["stages"].get(stage, 0.0), full["stages"][stage])
        rep.note(f"inline: new versions published: full run {full['new_versions']}, rerun {again['new_versions']} "
                 f"(of {full['datasets']} datasets)")
    finally:
        remove_home(home, args.keep)
    if af_sectors:
        home = private_home("noop-airflow")
        try:
            log(f"through Airflow: full run of {', '.join(af_sectors)} …")
            full = airflow_once(home, af_sectors)
            log(f"  full:  {full['wall_s']:.1f} s wall, {full['cpu_s']:.1f} s CPU")
            log("through Airflow: rerun …")
            again = airflow_once(home, af_sectors)
            log(f"  rerun: {again['wall_s']:.1f} s wall, {again['cpu_s']:.1f} s CPU")
            data["airflow"] = {"full": full, "rerun": again}
            rep.ratio("airflow rerun / full (wall)", again["wall_s"], full["wall_s"])
            rep.ratio("airflow rerun / full (CPU)", again["cpu_s"], full["cpu_s"])
            for stage in sorted(full["stages"], key=lambda s: -full["stages"][s]):
                rep.ratio(f"  airflow {stage}: rerun / full", again["stages"].get(stage, 0.0), full["stages"][stage])
            rep.note(f"airflow rerun summary: {again['versions_line'][-6:]}")
        finally:
            remove_home(home, args.keep)
    rep.data = data
    rep.print()
    rep.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

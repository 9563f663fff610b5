#!/usr/bin/env python
"""Benchmark 5 — incremental growth: adding a year of data to a large dataset, rebuild vs full refresh.

agri_crop_production is made large with labelled SYNTHETIC rows at the raw level (bench/synthetic.py,
default 10^7 mart rows), built once, then one more (SYNTHETIC) year is appended to the raw table and
the sector's transform → gate → publish stages run again, exactly as a scheduled run would after a
source published a new year ("rebuild"). A third run with nothing changed and ``dbt --full-refresh``
semantics (the marts are dbt tables, so a normal build *is* a full refresh) gives the full-refresh
cost. Ratio rebuild / full refresh, per stage.

Then the speed-up the numbers call for, measured: the same mart as a dbt ``incremental`` model
(``delete+insert`` on (item_name, year), new years only) in a private copy of the dbt project —
``dbt run`` of that model after adding a year, vs its full refresh.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from bench.common import PYTHON, REPO, SYNTHETIC, Report, driver, log, machine_load, platform_env, private_home, remove_home  # noqa: E402

INCREMENTAL_CONFIG = (
    "{{ config(materialized='incremental', unique_key=['item_name', 'year'], "
    "incremental_strategy='delete+insert', on_schema_change='fail') }}\n"
)
FILTER_ANCHOR = "where measure in ('production_t', 'area_harvested_ha', 'yield_kg_per_ha')"
FILTER_INCREMENTAL = (
    FILTER_ANCHOR + "\n    {% if is_incremental() %} and year > (select max(year) from {{ this }}) {% endif %}"
)


def stages(home: Path, run_id: str, suites: Path) -> dict:
    m = driver("stages_run.py", synthetic.SECTOR, run_id, "--stages", "transform,gate,publish",
               "--expectations", str(suites), env=platform_env(home)).check(f"stages {run_id}")
    res = m.json_tail()
    out = defaultdict(float)
    for t in res["timings"]:
        out[t["stage"]] += t["s"]
    out["total"] = sum(t["s"] for t in res["timings"])
    return {"wall_s": m.wall_s, "cpu_s": m.user_s + m.sys_s, "stages": dict(out), "failed": res["failed"],
            "published": res["published"]}


def dbt(home: Path, project: Path, *args: str) -> float:
    target = home / "dbt" / "incremental-target"
    cmd = [str(Path(PYTHON).with_name("dbt")), *args, "--project-dir", str(project), "--profiles-dir", str(project),
           "--target-path", str(target), "--log-path", str(target / "logs")]
    env = {**platform_env(home), "SECTOR_DATASETS_WAREHOUSE": str(home / "warehouse.duckdb")}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-3000:]}")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="10^4 rows, no initial build, no repeats (code paths only)")
    ap.add_argument("--rows", type=float, default=1e7, help="size of the large dataset (default 1e7 mart rows)")
    ap.add_argument("--base-home", type=Path, help="reuse a home where the agriculture sector was built (else built here)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    rows = int(1e4 if args.smoke else args.rows)
    rep = Report(f"Incremental growth — {synthetic.DATASET} at {rows:.0e} rows ({SYNTHETIC}) + one {SYNTHETIC} year ({machine_load()})")
    home = private_home("incremental")
    data: dict = {}
    try:
        import duckdb

        if args.base_home:
            shutil.copyfile(args.base_home / "warehouse.duckdb", home / "warehouse.duckdb")
        else:
            log("building the agriculture sector (real data) …")
            driver("stages_run.py", synthetic.SECTOR, "bench_base", "--stages", "extract,load,transform",
                   env=platform_env(home)).check("base build")
        con = duckdb.connect(str(home / "warehouse.duckdb"))
        info = synthetic.scale_raw(con, rows, synthetic.real_mart_rows(con))
        con.execute("CHECKPOINT")
        con.close()
        log(f"raw {synthetic.RAW_TABLE}: {info['raw_rows']:,} rows ({info['clones']} {SYNTHETIC} clones) → mart ≈{info['expected_mart_rows']:,}")
        suites_big = synthetic.scaled_suites(home / "suites_initial", info["expected_mart_rows"])
        first = None
        if not args.smoke:  # smoke: the rebuild itself does the first build (figures meaningless anyway)
            log("initial build of the large dataset (transform → gate → publish; also warms dbt's parse cache) …")
            first = stages(home, "bench_initial", suites_big)
            log(f"  {first['stages']['total']:.1f} s in stages")
        con = duckdb.connect(str(home / "warehouse.duckdb"))
        year = synthetic.add_year(con)
        con.execute("CHECKPOINT")
        con.close()
        suites_grown = suites_big  # one more year of ~32 is well inside the scaled ±50 % row-count bounds
        log(f"added {SYNTHETIC} year {year['new_year']}: +{year['raw_rows_added']:,} raw rows")
        log("rebuild after the new year (what the next scheduled run does) …")
        rebuild = stages(home, "bench_rebuild", suites_grown)
        log(f"  rebuild: {rebuild['stages']['total']:.1f} s in stages ({rebuild['wall_s']:.1f} s wall, {rebuild['cpu_s']:.1f} s CPU)")
        log("full refresh (same data; marts are dbt tables, so a build is a full refresh) …")
        refresh = rebuild if args.smoke else stages(home, "bench_refresh", suites_grown)  # smoke: same code path
        log(f"  full refresh: {refresh['stages']['total']:.1f} s in stages ({refresh['wall_s']:.1f} s wall, {refresh['cpu_s']:.1f} s CPU)")
        data.update(initial=first, rebuild=rebuild, refresh=refresh, scale=info, year=year)
        rep.ratio("rebuild after +1 year / full refresh (stages)", rebuild["stages"]["total"], refresh["stages"]["total"])
        rep.ratio("rebuild after +1 year / full refresh (CPU)", rebuild["cpu_s"], refresh["cpu_s"])
        for st in ("transform", "gate", "publish"):
            rep.ratio(f"  {st}: rebuild / full refresh", rebuild["stages"].get(st, 0), refresh["stages"].get(st, 0))
        rep.ratio("new year's share of the rows", year["raw_rows_added"], year["raw_rows"], unit="rows",
                  detail=f"{year['raw_rows_added']:,} / {year['raw_rows']:,} raw rows — the ideal rebuild / refresh ratio for the work")

        # ---- the proposal: the mart as a dbt incremental model ------------------------------------
        project = home / "dbt_project_incremental"
        shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
        model = project / "models" / "marts" / synthetic.SECTOR / f"{synthetic.DATASET}.sql"
        sql = model.read_text()
        if FILTER_ANCHOR not in sql:
            rep.note(f"incremental-model comparison skipped: {model.name} no longer has the expected filter line")
        else:
            model.write_text(INCREMENTAL_CONFIG + sql.replace(FILTER_ANCHOR, FILTER_INCREMENTAL, 1))
            log("incremental model (private copy of the dbt project): full refresh …")
            if not args.smoke:
                dbt(home, project, "parse")  # warm the parse cache, untimed
            full_s = dbt(home, project, "run", "--select", synthetic.DATASET, "--full-refresh")
            con = duckdb.connect(str(home / "warehouse.duckdb"))
            year2 = synthetic.add_year(con)
            con.execute("CHECKPOINT")
            con.close()
            log(f"  full refresh {full_s:.1f} s; added {SYNTHETIC} year {year2['new_year']}; incremental run …")
            inc_s = dbt(home, project, "run", "--select", synthetic.DATASET)
            log(f"  incremental {inc_s:.1f} s")
            full2_s = full_s if args.smoke else dbt(home, project, "run", "--select", synthetic.DATASET, "--full-refresh")
            log(f"  full refresh again {full2_s:.1f} s")
            data["incremental_model"] = {"full_s": full_s, "incremental_s": inc_s, "full_again_s": full2_s}
            rep.ratio("PROPOSAL incremental dbt model: +1 year / full refresh", inc_s, min(full_s, full2_s),
                      f"{inc_s:.1f} s / {min(full_s, full2_s):.1f} s (dbt run of the model incl. dbt start-up and parse)")
            rep.note("the gate still validates, and publish still copies and exports, the whole table: "
                     "with an incremental model those stages dominate a rebuild (see the per-stage ratios)")
    finally:
        remove_home(home, args.keep)
    rep.data = data
    rep.print()
    rep.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

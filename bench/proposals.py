#!/usr/bin/env python
"""The speed-ups of issue 7, each measured before / after in ONE run: "before" is the platform at
an older git revision (default: the commit the speed-ups started from, bench/revision.py exports
it with ``git archive`` and runs it with this virtualenv), "after" is this checkout.

P1  the main job: ``cli run`` before (one ``airflow dags test`` process per sector at the
    baseline) vs after (every DAG's ``dag.test()`` in one Airflow interpreter), same sectors,
    fresh homes, sequential; per-stage shares of the after run from its per-DAG logs.
P2  the gate: ``validate_table`` before (an ephemeral GX context, SQL datasource and store
    entries per dataset, result format SUMMARY) vs after (one context + datasource per process
    and connection, a BASIC first pass and SUMMARY only for expectations that found unexpected
    values), on one sector's real tables and on agri_crop_production scaled to --gate-rows
    SYNTHETIC rows; the verdicts must be identical field by field (printed).
P3  dbt: one sector's transform stage (its ``dbt build``) before vs after, interleaved rounds in
    two homes over copies of the same loaded warehouse, dbt's partial-parse cache warm.

usage: proposals.py [--before REV] [--after REV] [--sector ID ...] [--skip p1|p2|p3] [--gate-rows N] [--smoke]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import revision, synthetic  # noqa: E402
from bench.common import PYTHON, SYNTHETIC, Report, driver, log, machine_load, platform_env, private_home, remove_home, run  # noqa: E402
from bench.overhead import airflow_main_job  # noqa: E402


def p1(tree: Path, after_tree: Path | None, sectors: list[str], keep: bool) -> dict:
    log(f"P1 before: cli run at {tree.name} …")
    before = airflow_main_job(sectors or None, keep, tree=tree)
    log(f"P1 after: cli run at {after_tree.name if after_tree else 'this checkout'} …")
    after = airflow_main_job(sectors or None, keep, tree=after_tree)
    return {"before": before, "after": after}


def p2(tree: Path, after_tree: Path | None, sector: str, rows: int | None, keep: bool, base_home: Path | None = None) -> dict:
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import get_settings

    home = private_home("p2")
    try:
        if base_home:
            shutil.copyfile(base_home / "warehouse.duckdb", home / "warehouse.duckdb")
        else:
            log(f"P2: building {sector} (real data) for the gate comparison …")
            driver("stages_run.py", sector, "bench_p2", "--stages", "extract,load,transform", env=platform_env(home)).check("build")
        before_py = str(tree / "plugins" / "sector_datasets" / "gate" / "validate.py")
        datasets = [d.id for d in load_registry(get_settings().registry_dir).sector(sector).datasets]
        out = {"real": _gate(before_py, after_tree, home / "warehouse.duckdb", get_settings().expectations_dir, datasets, home)}
        if rows:
            import duckdb

            con = duckdb.connect(str(home / "warehouse.duckdb"))
            try:
                synthetic.scale_mart(con, rows)
            finally:
                con.close()
            suites = synthetic.scaled_suites(home / "expectations_scaled", rows)
            out["scaled"] = _gate(before_py, after_tree, home / "warehouse.duckdb", suites, [synthetic.DATASET], home)
            out["scaled"]["rows"] = rows
        return out
    finally:
        remove_home(home, keep)


def p3(tree: Path, after_tree: Path | None, sector: str, reps: int, keep: bool) -> dict:
    """dbt: the sector's transform stage (one ``dbt build``) before vs after, interleaved, in two
    homes holding copies of the same loaded warehouse, each warmed by one untimed build (so
    dbt's partial-parse cache is warm, as in any run after the first)."""
    base = private_home("p3")
    homes = {"before": private_home("p3-before"), "after": private_home("p3-after")}
    trees = {"before": tree, "after": after_tree}
    try:
        log(f"P3: loading {sector} (real data) …")
        driver("stages_run.py", sector, "bench_p3", "--stages", "extract,load", env=platform_env(base)).check("load")
        times: dict[str, list[float]] = {"before": [], "after": []}
        for rep in range(reps + 1):  # the first round warms each home's dbt cache and is not counted
            for label, home in homes.items():
                if rep == 0:
                    shutil.copyfile(base / "warehouse.duckdb", home / "warehouse.duckdb")
                res = _stages(trees[label], home, [sector, f"bench_p3_{rep}", "--stages", "transform"]).json_tail()
                t = sum(x["s"] for x in res["timings"] if x["stage"] == "transform")
                if rep:
                    times[label].append(t)
                log(f"  {label} round {rep}{' (warm-up)' if not rep else ''}: transform {t:.1f} s")
        return {"before_s": min(times["before"]), "after_s": min(times["after"]), "runs": times, "sector": sector}
    finally:
        for h in (base, *homes.values()):
            remove_home(h, keep)


def _stages(tree: Path | None, home: Path, args: list[str]):
    """bench/_drivers/stages_run.py of ``tree`` (default: this checkout) in ``home``."""
    if tree:
        return run([PYTHON, str(tree / "bench" / "_drivers" / "stages_run.py"), *args],
                   env=revision.env_at(tree, platform_env(home)), cwd=tree).check("stages")
    return driver("stages_run.py", *args, env=platform_env(home)).check("stages")


def _gate(before_py: str, after_tree: Path | None, warehouse: Path, suites: Path, datasets: list[str], home: Path) -> dict:
    args = [before_py, str(warehouse), str(suites), *datasets]
    if after_tree:  # that revision's driver and code
        m = run([PYTHON, str(after_tree / "bench" / "_drivers" / "gate_before_after.py"), *args],
                env=revision.env_at(after_tree, platform_env(home)))
    else:
        m = driver("gate_before_after.py", *args, env=platform_env(home))
    res = m.check("gate_before_after").json_tail()
    log(f"  gate of {len(datasets)} dataset(s): before {res['before_s']:.2f} s, after {res['after_s']:.2f} s; "
        f"same verdicts: {res['same_verdicts']}")
    res["datasets"] = datasets
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="P2 only, real sizes, on the agriculture sector")
    ap.add_argument("--before", default=revision.BASELINE, help=f"git revision measured as 'before' (default {revision.BASELINE})")
    ap.add_argument("--after", default=None, help="git revision measured as 'after' (default: this checkout as it is)")
    ap.add_argument("--sector", action="append", default=[], help="sectors for P1 (default: every sector)")
    ap.add_argument("--gate-sector", default="agriculture", help="sector for P2 (default agriculture)")
    ap.add_argument("--gate-rows", type=int, default=10**7, help="P2 also at this many rows (SYNTHETIC); 0: real only")
    ap.add_argument("--dbt-sector", default="agriculture", help="sector for P3 (default agriculture)")
    ap.add_argument("--dbt-reps", type=int, default=3, help="timed rounds of P3 (default 3; the best is kept)")
    ap.add_argument("--skip", action="append", default=[], choices=["p1", "p2", "p3"])
    ap.add_argument("--base-home", type=Path, help="P2 on this home's built warehouse (must hold --gate-sector)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    tree = revision.export(args.before)
    after_tree = revision.export(args.after) if args.after else None
    rep = Report(f"Speed-ups, before ({args.before}) / after ({args.after or 'this checkout'}) in one run ({machine_load()})")
    data = {"before": args.before}
    if "p1" not in args.skip and not args.smoke:
        r = p1(tree, after_tree, args.sector, args.keep)
        data["p1"] = r
        before, after = r["before"], r["after"]
        n = len(after["per_sector"])
        rep.ratio(f"P1 main job: after / before (wall, {n} DAGs)", after["wall_s"], before["wall_s"])
        rep.ratio("P1 main job: after / before (CPU)", after["cpu_s"], before["cpu_s"])
        rep.ratio("P1 main job after / 90 s target (wall)", after["wall_s"], 90.0)
        for k, v in sorted(after["stages"].items(), key=lambda kv: -kv[1]):
            rep.ratio(f"  main job after share: {k}", v, after["wall_s"], f"{v:.1f} s of {after['wall_s']:.1f} s")
        rep.note(f"P1 exit codes: before {before['returncode']} ({before['failed_sectors']} failed sectors), "
                 f"after {after['returncode']} ({after['failed_sectors']} failed sectors)")
    if "p2" not in args.skip:
        r = p2(tree, after_tree, args.gate_sector, 0 if args.smoke else args.gate_rows, args.keep, args.base_home)
        data["p2"] = r
        real = r["real"]
        rep.ratio(f"P2 shared GX context + BASIC first pass: after / before ({len(real['datasets'])} gates, real rows)",
                  real["after_s"], real["before_s"])
        rep.note(f"P2 verdicts identical (real rows): {real['same_verdicts']} ({real['success']})")
        if "scaled" in r:
            sc = r["scaled"]
            rep.ratio(f"P2 gate at {sc['rows']:.0e} rows ({SYNTHETIC}): after / before", sc["after_s"], sc["before_s"])
            rep.note(f"P2 verdicts identical ({SYNTHETIC} rows): {sc['same_verdicts']} ({sc['success']})")
    if "p3" not in args.skip and not args.smoke:
        r = p3(tree, after_tree, args.dbt_sector, args.dbt_reps, args.keep)
        data["p3"] = r
        rep.ratio(f"P3 dbt build of {r['sector']} (transform stage, warm parse cache): after / before", r["after_s"], r["before_s"])
        rep.note(f"P3 transform seconds per round: before {r['runs']['before']}, after {r['runs']['after']}")
    rep.data = data
    rep.print()
    rep.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

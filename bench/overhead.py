#!/usr/bin/env python
"""Benchmark 1 — pipeline overhead: the main job through Airflow vs the same work in bare DuckDB,
vs the same dbt project rendered as one Airflow task per model (the astronomer-cosmos approach).

Measured in one run, each in its own private SECTOR_DATASETS_HOME (never the repository's var/):

  main job     ``python -m sector_datasets.cli run`` (every sector's DAG through Airflow's ``dag.test()``
               in one Airflow interpreter: Airflow, dbt, Great Expectations, publish, report), one
               subprocess, as a user runs it
  inline       the same stage functions in one Python process, no Airflow (sector_datasets.orchestration.inline)
  bare DuckDB  what dbt actually ran (the compiled SQL of each sector's own ``dbt build``, from its
               manifest.json: views, tables and every data test) + the suites as hand-written
               aggregate SQL (bench/sqlchecks.py) + publish's work (versioned table copy, curated
               view, Parquet + CSV), in one DuckDB connection over the same raw tables
  peers        the same DAGs with the dbt step rendered by astronomer-cosmos in manifest load mode
               (bench/peer.py; cosmos pip-installed into a private folder from
               bench/requirements-peer.txt), in two modes: its default LOCAL mode, one Airflow task
               per model (``dbt run --select <model>`` then ``dbt test --select <model>``), and its
               WATCHER mode, one producer task running a single ``dbt build`` whose per-model
               results sensor tasks report. If cosmos cannot be installed: an honest emulation of
               the per-model mode (reported as such), and no watcher peer
  scaled       agri_crop_production scaled to --scale-rows rows with labelled SYNTHETIC rows at the
               raw level, a version of it already served (published once, untimed), then its raw
               rows revised like a next release (≈1 % of SYNTHETIC values, one more year): the
               pipeline's transform + gate + publish (incl. publish's diff against the served
               version) for its sector vs bare DuckDB doing the same incl. the diff (bench/scaled.py)

Wall times and CPU times (user+sys of the whole process tree) are reported; on a shared machine
the CPU ratio is the steadier one. The per-stage breakdown of the Airflow run comes from the
timestamps ``dag.test()`` logs around every task (bench/airflow_log.py); the inline one
from timing the stage functions.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import airflow_log, revision  # noqa: E402
from bench.bare import bare_job  # noqa: E402
from bench.peer import PEER_MODES, peer_job, peer_plan, peer_ratios  # noqa: E402
from bench.revision import env_at  # noqa: E402
from bench.scaled import scaled_job, scaled_ratios  # noqa: E402
from bench.common import (  # noqa: E402
    PYTHON, REPO, Report, bench_root, driver, log, machine_load,
    platform_env, private_home, remove_home, run,
)

TARGET_MAIN_JOB_S = 90.0


def registry():
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import REPO_ROOT

    return load_registry(Path(os.environ.get("SECTOR_DATASETS_REGISTRY", REPO_ROOT / "include" / "sectors")))


# ---------------------------------------------------------------------------------------------
# main job through Airflow
# ---------------------------------------------------------------------------------------------


def airflow_main_job(sectors: list[str] | None, keep: bool, tree: Path | None = None) -> dict:
    """``cli run`` in a fresh home; ``tree``: the platform exported from another revision (bench/revision.py)."""
    home = private_home("main-airflow")
    try:
        cmd = [PYTHON, "-m", "sector_datasets.cli", "run", *sum((["--sector", s] for s in sectors or []), [])]
        log(f"main job: {' '.join(cmd[1:])}  (home {home}{f', code of {tree}' if tree else ''})")
        m = run(cmd, env=env_at(tree, platform_env(home)) if tree else platform_env(home), cwd=tree or REPO)
        walls = [float(x.split("in ", 1)[1].split("s", 1)[0]) for x in m.stdout.splitlines() if x.strip().startswith(("ok in", "FAILED in"))]
        failed = [x for x in m.stdout.splitlines() if x.strip().startswith("FAILED")]
        ids = registry().run_order(sectors)
        per_sector = {}
        totals: dict[str, float] = defaultdict(float)
        for sector_id, wall in zip(ids, walls):
            dag_id = f"sector_{sector_id}"
            log_path = home / "logs" / f"{dag_id}.log"
            text = log_path.read_text() if log_path.exists() else ""
            b = airflow_log.breakdown(text, wall)
            per_sector[sector_id] = {"wall_s": wall, **b}
            for k, v in b.items():
                if not k.startswith("_"):
                    totals[k] += v
        totals["cli_init (airflow db migrate, pool) + summary"] = max(0.0, m.wall_s - sum(walls))
        log(f"  main job: {m.wall_s:.1f} s wall, {m.user_s + m.sys_s:.1f} s CPU, exit {m.returncode}"
            + (f", {len(failed)} sector(s) FAILED" if failed else ""))
        return {"wall_s": m.wall_s, "cpu_s": m.user_s + m.sys_s, "returncode": m.returncode, "failed_sectors": len(failed),
                "stages": dict(totals), "per_sector": per_sector, "tail": m.stdout[-3000:]}
    finally:
        remove_home(home, keep)


# ---------------------------------------------------------------------------------------------
# inline (no Airflow) and bare DuckDB
# ---------------------------------------------------------------------------------------------


def inline_job(sectors: list[str] | None, home: Path) -> dict:
    env = platform_env(home, SECTOR_DATASETS_BENCH_MANIFESTS=str(home / "bench_manifests"))
    log(f"inline: the same stages in one process, no Airflow (home {home})")
    m = driver("inline_run.py", "bench_inline", *(sectors or []), env=env).check("inline run")
    res = m.json_tail()
    stages: dict[str, float] = defaultdict(float)
    for t in res["timings"]:
        stages[t["stage"]] += t["s"]
    stages["python start + imports"] = m.wall_s - res["run_s"]
    log(f"  inline: {m.wall_s:.1f} s wall, {m.user_s + m.sys_s:.1f} s CPU; "
        + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
        + (f"; FAILED datasets: {sorted(res['failed'])}" if res["failed"] else ""))
    out = {"wall_s": m.wall_s, "cpu_s": m.user_s + m.sys_s, "stages": dict(stages), "failed": res["failed"], "home": str(home),
           "sectors": sectors or [], "new_versions": res["new_versions"], "datasets": res["datasets"]}
    (home / "inline_result.json").write_text(json.dumps(out))
    return out


def cross_check(inline_home: Path, bare_res: dict) -> tuple[int, int, list[str]]:
    """Hand-written SQL verdicts vs the GX verdicts of the inline run, expectation by expectation."""
    agree = total = 0
    differ = []
    for sector_id, s in bare_res["result"]["sectors"].items():
        for dataset_id, checks in s["checks"].items():
            files = sorted((inline_home / "quality" / sector_id / dataset_id).glob("*.json"))
            if not files:
                continue
            gx = json.loads(files[-1].read_text())
            for i, ok in checks.items():
                res = gx.get("results") or []
                if int(i) < len(res):
                    total += 1
                    if res[int(i)]["success"] == ok:
                        agree += 1
                    else:
                        differ.append(f"{dataset_id}#{i} {res[int(i)]['type']}: GX {res[int(i)]['success']}, SQL {ok}")
    return agree, total, differ


# ---------------------------------------------------------------------------------------------


def probes() -> dict:
    """Fixed costs, each in a fresh interpreter: what a task pays before doing any work."""
    env = platform_env(Path(bench_root()))
    out = {}
    for name, code in (
        ("python", "pass"),
        ("import duckdb", "import duckdb"),
        ("import airflow.sdk", "import airflow.sdk"),
        ("import great_expectations", "import great_expectations"),
        ("import dbt (dbt.cli.main)", "import dbt.cli.main"),
    ):
        m = run([PYTHON, "-c", code], env=env)
        out[name] = m.wall_s
    m = run([str(Path(PYTHON).with_name("dbt")), "--version"], env=env)
    out["dbt --version (process)"] = m.wall_s
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny: one sector inline vs bare, 10^4 scaled rows; no Airflow runs")
    ap.add_argument("--sector", action="append", default=[], help="sector id (repeatable); default: every sector")
    ap.add_argument("--peer", choices=["auto", "cosmos", "emulate", "skip"], default="auto",
                    help="the astronomer-cosmos peers: cosmos (fail if it cannot be installed), emulate (no cosmos: "
                         "the per-model peer emulated, no watcher peer), skip; default auto: cosmos if installable, else emulate")
    ap.add_argument("--peer-mode", choices=sorted(PEER_MODES), default="both",
                    help="which cosmos execution modes run as peers: local (default LOCAL mode, one task per model; "
                         "target: ours >= 5x faster), watcher (WATCHER mode, one dbt build + sensors; target >= 3x), "
                         "both (default)")
    ap.add_argument("--peer-sector", action="append", default=[], help="run the peers (and a like-for-like main job) only for these sectors")
    ap.add_argument("--skip-airflow", action="store_true", help="skip the main job through Airflow")
    ap.add_argument("--skip-inline", action="store_true",
                    help="only the Airflow runs (main job, peers): no inline / bare DuckDB / scaled runs")
    ap.add_argument("--scale-rows", type=float, default=1e7, help="rows for the scaled dataset (0 = skip; default 1e7)")
    ap.add_argument("--before", help="git revision whose transform + gate + publish also run on the scaled inputs (before/after in one run)")
    ap.add_argument("--repeat", type=int, default=2, help="repetitions of the cheap measurements (inline, bare; default 2)")
    ap.add_argument("--base-home", type=Path, help="reuse an inline run's home (bench/run_all.py --smoke makes one) instead of running inline here")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary homes")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sector = args.sector or ["agriculture"]
        args.skip_airflow, args.peer, args.repeat = True, "skip", 1
        args.scale_rows = min(args.scale_rows, 1e4)
    sectors = args.sector or None
    names = registry().run_order(sectors)
    if args.base_home:
        names = registry().run_order(json.loads((args.base_home / "inline_result.json").read_text())["sectors"] or None)
    rep = Report(f"Pipeline overhead — {len(names)} sector(s): {', '.join(names)} ({machine_load()})")
    rep.note(machine_load() + " at start")
    data: dict = {"sectors": names}

    inline_runs, bare_runs, homes = [], [], []
    try:
        if args.base_home:
            base = json.loads((args.base_home / "inline_result.json").read_text())
            sectors = base["sectors"]
            names = registry().run_order(sectors)
            log(f"inline: reusing {args.base_home} ({', '.join(names)})")
            inline_runs.append(base)
            bare_runs.append(bare_job(args.base_home, names))
        for i in range(0 if args.base_home or args.skip_inline else args.repeat):
            home = private_home("inline")
            homes.append(home)
            inline_runs.append(inline_job(sectors, home))
            bare_runs.append(bare_job(home, names))
        inl = min(inline_runs, key=lambda r: r["wall_s"]) if inline_runs else None
        bar = min(bare_runs, key=lambda r: r["work_s"]) if bare_runs else None
        data.update(inline=inline_runs, bare=bare_runs)
        if inl and bar:
            agree, total, differ = cross_check(Path(inl["home"]), bar)
            skipped = {d: s for r in bar["result"]["sectors"].values() for d, s in r["skipped"].items() if s}
            rep.note(f"hand-written SQL checks agree with GX on {agree}/{total} expectations"
                     + (f"; differ: {differ[:5]}" if differ else "")
                     + (f"; untranslated (skipped): {skipped}" if skipped else "; none skipped"))

        main_job = None if args.skip_airflow else airflow_main_job(sectors, args.keep)
        peer_modes, peer_site = peer_plan(args.peer, args.peer_mode)
        peers = {mode: peer_job(registry().run_order(args.peer_sector or sectors), mode, peer_site, args.keep)
                 for mode in peer_modes}
        if peers:
            if args.peer_sector and not args.skip_airflow and set(args.peer_sector) != set(names):
                log("main job again, on the peer's sectors only (like for like) …")
                data["main_job_peer_sectors"] = airflow_main_job(args.peer_sector, args.keep)
        before = revision.export(args.before) if args.before else None
        scaled = (scaled_job(Path(inl["home"]), int(args.scale_rows), args.keep, warm=not args.smoke, before=before)
                  if args.scale_rows and inl else None)
        data.update(main_job=main_job, peers=peers, scaled=scaled)

        # ---- ratios --------------------------------------------------------------------
        spread_i = [r["wall_s"] for r in inline_runs]
        spread_b = [r["work_s"] for r in bare_runs]
        if len(spread_i) > 1:
            rep.note(f"noise: inline wall {min(spread_i):.1f}–{max(spread_i):.1f} s, bare work "
                     f"{min(spread_b):.2f}–{max(spread_b):.2f} s over {len(spread_i)} runs (best used)")
        if main_job:
            if bar and inl:
                rep.ratio("main_job_airflow / bare_duckdb (wall)", main_job["wall_s"], bar["work_s"])
                rep.ratio("main_job_airflow / bare_duckdb (CPU)", main_job["cpu_s"], bar["cpu_s"],
                          f"{main_job['cpu_s']:.1f} s / {bar['cpu_s']:.1f} s, bare incl. its interpreter")
                rep.ratio("main_job_airflow / inline_no_airflow (wall)", main_job["wall_s"], inl["wall_s"])
                rep.ratio("main_job_airflow / inline_no_airflow (CPU)", main_job["cpu_s"], inl["cpu_s"])
            rep.ratio("main_job_airflow / 90 s target (wall)", main_job["wall_s"], TARGET_MAIN_JOB_S)
            rep.ratio("main_job_airflow CPU / 90 s target", main_job["cpu_s"], TARGET_MAIN_JOB_S,
                      f"{main_job['cpu_s']:.1f} CPU-s: a lower bound for the wall time of this mostly serial job on an idle machine")
            for stage, sec in sorted(main_job["stages"].items(), key=lambda kv: -kv[1]):
                rep.ratio(f"  main_job share: {stage}", sec, main_job["wall_s"], f"{sec:.1f} s of {main_job['wall_s']:.1f} s")
            st = main_job["stages"]
            if bar:
                bs = bar["stages"]
                rep.ratio("  stage dbt (airflow) / bare transform+tests", st.get("dbt", 0), bs["transform"] + bs["dbt_tests"])
                rep.ratio("  stage gx_gate (airflow) / bare checks", st.get("gx_gate", 0), bs["checks"])
                rep.ratio("  stage publish (airflow) / bare publish", st.get("publish", 0), bs["publish"])
        if inl and bar:
            inline_ratios(rep, inl, bar)
        for peer in peers.values():
            peer_ratios(rep, peer, data.get("main_job_peer_sectors") or main_job, bar)
        if scaled:
            scaled_ratios(rep, scaled)
        if main_job and main_job["failed_sectors"]:
            rep.note(f"main job: {main_job['failed_sectors']} sector(s) failed — timings include the failure path")
        if inl and inl["failed"]:
            rep.note(f"inline: datasets that failed their gate: {sorted(inl['failed'])}")
        p = probes()
        data["probes"] = p
        rep.note("fixed costs (fresh interpreter each, wall): " + ", ".join(f"{k} {v:.1f} s" for k, v in p.items()))
        rep.note(machine_load() + " at end")
    finally:
        for h in homes:
            remove_home(h, args.keep)
    rep.data = data
    rep.print()
    rep.dump(args.json)
    return 0


def inline_ratios(rep: Report, inl: dict, bar: dict) -> None:
    rep.ratio("inline_no_airflow / bare_duckdb (wall)", inl["wall_s"], bar["work_s"])
    rep.ratio("inline_no_airflow / bare_duckdb (CPU)", inl["cpu_s"], bar["cpu_s"])
    for stage, sec in sorted(inl["stages"].items(), key=lambda kv: -kv[1]):
        rep.ratio(f"  inline share: {stage}", sec, inl["wall_s"], f"{sec:.1f} s of {inl['wall_s']:.1f} s")
    bs = bar["stages"]
    rep.ratio("  inline transform (dbt build) / bare transform+tests", inl["stages"].get("transform", 0), bs["transform"] + bs["dbt_tests"])
    rep.ratio("  inline gate (GX) / bare checks", inl["stages"].get("gate", 0), bs["checks"])
    rep.ratio("  inline publish / bare publish", inl["stages"].get("publish", 0), bs["publish"])


if __name__ == "__main__":
    sys.exit(main())

"""The scaled measurement of bench/overhead.py: one dataset (agri_crop_production) scaled with
labelled SYNTHETIC rows at the raw level; the pipeline's transform → gate → publish (its publish
reviews the candidate: a diff against the served version, bench/synthetic.py) vs the same work
in bare DuckDB.

Steady state, as a scheduled run meets it: before the timed run the scaled home already serves a
version of the scaled table (the same stages, run once untimed), and the raw table is then revised
as a next release would be (``synthetic.revise_raw``: ≈1 % of the SYNTHETIC production values
+5 %, one more year of SYNTHETIC rows). So the timed publish diffs the full-size candidate against
the full-size served version, and the publish policy (agri_crop_production has none of its own:
the strict defaults, any past revision waits for approval) decides; a held version is still
written (table, exports, publication), only not served. Bare DuckDB does the equivalent diff by
hand (``bare.diff_equivalent``) on a copy of the same inputs and served table.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path

from bench import synthetic
from bench.bare import bare_job
from bench.common import PYTHON, SYNTHETIC, Measured, Report, driver, log, platform_env, private_home, remove_home, run
from bench.revision import env_at

STAGES = "transform,gate,publish"


def scaled_job(inline_home: Path, rows: int, keep: bool, warm: bool = True, before: Path | None = None) -> dict:
    """transform + gate + publish (incl. its diff) of the scaled sector vs bare DuckDB; ``before``:
    also the same stages of the platform exported from another revision (bench/revision.py), on a
    copy of the same scaled inputs and served version, in this run."""
    import duckdb

    home = private_home("scaled")
    homes = [home]
    try:
        log(f"scaled: {synthetic.DATASET} → {rows:,} rows ({SYNTHETIC} clones of the real raw rows) …")
        shutil.copyfile(inline_home / "warehouse.duckdb", home / "warehouse.duckdb")
        shutil.copytree(inline_home / "bench_manifests", home / "bench_manifests")
        shutil.copytree(inline_home / "exports", home / "exports", symlinks=True)
        con = duckdb.connect(str(home / "warehouse.duckdb"))
        info = synthetic.scale_raw(con, rows, synthetic.real_mart_rows(con))
        con.execute("CHECKPOINT")
        con.close()
        log(f"  raw {synthetic.RAW_TABLE}: {info['raw_rows']:,} rows ({info['clones']} {SYNTHETIC} clones); "
            f"mart expected {info['expected_mart_rows']:,} rows")
        suites = synthetic.scaled_suites(home / "expectations", info["expected_mart_rows"])
        cold_parse = _warm(home, None) if warm else None
        served = _serve_first(home, suites)
        con = duckdb.connect(str(home / "warehouse.duckdb"))
        edit = synthetic.revise_raw(con)
        con.execute("CHECKPOINT")
        con.close()
        log(f"  next release of the raw table: ≈1 % of {SYNTHETIC} production values revised, "
            f"+{edit['raw_rows_added']:,} raw rows of year {edit['new_period']}")
        # bare first, on a copy of the same inputs and the same served version
        bare_home = home / "bare_inputs"
        bare_home.mkdir()
        shutil.copyfile(home / "warehouse.duckdb", bare_home / "warehouse.duckdb")
        shutil.copytree(home / "bench_manifests", bare_home / "bench_manifests")
        scale = {synthetic.DATASET: list(synthetic.row_bounds(info["expected_mart_rows"]))}
        log("  bare DuckDB on the scaled inputs (with the diff against the served version) …")
        b = bare_job(bare_home, [synthetic.SECTOR], scale, {synthetic.DATASET: served})
        shutil.rmtree(bare_home, ignore_errors=True)
        out = {"rows": info["expected_mart_rows"], "raw_rows": info["raw_rows"], "bare": b, "edit": edit,
               "served_table": served[0], "cold_dbt_parse_s": cold_parse}
        if before:
            before_home = private_home("scaled-before")
            homes.append(before_home)
            shutil.copyfile(home / "warehouse.duckdb", before_home / "warehouse.duckdb")
            shutil.copytree(home / "exports", before_home / "exports", symlinks=True)
            log(f"  BEFORE ({before.name}): the same stages of that revision on a copy of the same inputs …")
            if warm:
                _warm(before_home, before)
            out["before"] = _timed_stages(before_home, suites, before)
        out.update(_timed_stages(home, suites, None))
        return out
    finally:
        for h in homes:
            remove_home(h, keep)


def _warm(home: Path, tree: Path | None) -> float:
    """Steady state: a scheduled run finds dbt's partial-parse cache of the previous run. A copied
    home has a different warehouse path (profile) so its cache is void: warm it once, untimed."""
    from sector_datasets.settings import get_settings
    from sector_datasets.transform.build import dbt_command, dbt_env

    os.environ["SECTOR_DATASETS_HOME"] = str(home)
    st = get_settings() if tree is None else dataclasses.replace(get_settings(), repo_root=tree)
    t0 = time.perf_counter()
    subprocess.run(dbt_command(st, "parse"), env=dbt_env(st), capture_output=True, text=True)
    cold = time.perf_counter() - t0
    log(f"  dbt parse (cold, to warm the partial-parse cache; not counted): {cold:.1f} s")
    return cold


def _stages(home: Path, suites: Path, tree: Path | None, run_id: str) -> tuple[Measured, dict]:
    args = [synthetic.SECTOR, run_id, "--stages", STAGES, "--expectations", str(suites)]
    if tree is None:
        m = driver("stages_run.py", *args, env=platform_env(home))
    else:
        m = run([PYTHON, str(tree / "bench" / "_drivers" / "stages_run.py"), *args], env=env_at(tree, platform_env(home)), cwd=tree)
    return m, m.check(f"scaled stages ({run_id})").json_tail()


def _serve_first(home: Path, suites: Path) -> tuple[str, list[str], str | None]:
    """Publish the scaled table once, untimed; (served version table, primary key, period column)."""
    import duckdb

    from sector_datasets.registry import load_registry
    from sector_datasets.settings import get_settings
    from sector_datasets.state import layout

    log("  the version to diff against: transform → gate → publish once, untimed …")
    m, res = _stages(home, suites, None, "bench_scaled_served")
    pub = res["published"].get(synthetic.DATASET)
    if not isinstance(pub, dict) or pub.get("held"):
        raise RuntimeError(f"sector {synthetic.SECTOR} dataset {synthetic.DATASET}: the untimed first publish in {home} "
                           f"did not serve a version: {pub or res['failed'].get(synthetic.DATASET)}")
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        version = con.execute("SELECT version FROM meta.current WHERE dataset_id = ?", [synthetic.DATASET]).fetchone()[0]
    finally:
        con.close()
    log(f"  served v{version} ({pub['row_count']:,} rows) after {m.wall_s:.1f} s (not counted)")
    _, dataset = load_registry(get_settings().registry_dir).dataset(synthetic.DATASET)
    return f"curated.{layout.version_table(synthetic.DATASET, version)}", list(dataset.primary_key), dataset.promise.period


def _timed_stages(home: Path, suites: Path, tree: Path | None) -> dict:
    """transform → gate → publish of the scaled sector in ``home``, code of ``tree`` (default: this checkout)."""
    log("  pipeline stages (transform → gate → publish, publish incl. its diff) on the scaled inputs …")
    m, res = _stages(home, suites, tree, "bench_scaled")
    stages: dict[str, float] = defaultdict(float)
    for t in res["timings"]:
        stages[t["stage"]] += t["s"]
    work = sum(t["s"] for t in res["timings"])
    pub = res["published"].get(synthetic.DATASET)
    diff = ((pub.get("changes") or {}).get("diff") or {}) if isinstance(pub, dict) else {}
    # The diff runs inside publish (review.candidate): its own seconds are split out of publish's.
    stages["diff"] = diff.get("computed_s", 0.0)
    stages["publish"] -= stages["diff"]
    stages["python start + imports"] = m.wall_s - work
    outcome = ("blocked (nothing written): " + str(pub)[:300] if not isinstance(pub, dict)
               else "held for approval (written, not served)" if pub.get("held") else "served")
    log(f"  pipeline: {m.wall_s:.1f} s wall ({work:.1f} s in stages), {m.user_s + m.sys_s:.1f} s CPU; "
        + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
        + f"; {synthetic.DATASET} v{pub.get('version') if isinstance(pub, dict) else '?'} {outcome}"
        + (f"; FAILED: {res['failed']}" if res["failed"] else ""))
    return {"pipeline_wall_s": m.wall_s, "pipeline_cpu_s": m.user_s + m.sys_s, "pipeline_stages": dict(stages),
            "pipeline_work_s": work, "failed": res["failed"], "outcome": outcome, "diff": diff}


def scaled_ratios(rep: Report, scaled: dict) -> None:
    b = scaled["bare"]
    rows = f"{scaled['rows']:.0e} rows ({SYNTHETIC})"
    rep.ratio(f"scaled {rows}: transform+gate+publish / bare (incl. diff; target <= 1.5)", scaled["pipeline_work_s"], b["work_s"])
    rep.ratio(f"scaled {rows}: whole process / bare process (wall)", scaled["pipeline_wall_s"], b["wall_s"])
    rep.ratio(f"scaled {rows}: CPU / bare CPU", scaled["pipeline_cpu_s"], b["cpu_s"])
    ps, bs = scaled["pipeline_stages"], b["stages"]
    rep.ratio("  scaled transform / bare transform+tests", ps.get("transform", 0), bs["transform"] + bs["dbt_tests"])
    rep.ratio("  scaled gate / bare checks", ps.get("gate", 0), bs["checks"])
    rep.ratio("  scaled diff (publish's review) / bare diff (full outer join + EXCEPT)", ps.get("diff", 0), bs["diff"])
    rep.ratio("  scaled publish excl. diff / bare publish", ps.get("publish", 0), bs["publish"])
    if "before" in scaled:
        old = scaled["before"]
        rep.ratio(f"scaled {rows}: BEFORE transform+gate+publish / bare", old["pipeline_work_s"], b["work_s"])
        rep.ratio(f"scaled {rows}: transform+gate+publish after / before", scaled["pipeline_work_s"], old["pipeline_work_s"])
        for stage in ("transform", "gate", "diff", "publish"):
            if old["pipeline_stages"].get(stage):
                rep.ratio(f"  scaled {stage} after / before", ps.get(stage, 0), old["pipeline_stages"][stage])
    d = scaled["diff"]
    bd = b["result"]["sectors"][synthetic.SECTOR]["diffs"].get(synthetic.DATASET, {})
    rep.note(f"scaled: the candidate vs the served {scaled['served_table']} (≈1 % of {SYNTHETIC} production values "
             f"+5 %, one more year {scaled['edit']['new_period']}): the version was {scaled['outcome']}; diff "
             f"{d.get('added')} added / {d.get('removed')} removed / {d.get('changed')} revised, periods added "
             f"{d.get('periods_added')}; bare diff {bd.get('added')} / {bd.get('removed')} / {bd.get('changed')}, "
             f"periods {bd.get('periods')}")
    if scaled["cold_dbt_parse_s"] is not None:
        rep.note(f"scaled: dbt's partial-parse cache was warm (steady state); a cold dbt parse cost "
                 f"{scaled['cold_dbt_parse_s']:.1f} s more")
    if scaled["failed"]:
        rep.note(f"scaled: gate failures {scaled['failed']}")

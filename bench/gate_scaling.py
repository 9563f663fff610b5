#!/usr/bin/env python
"""Benchmark 2 — gate cost vs data size.

One published dataset (agri_crop_production: its real rows, built from the real FAOSTAT payload
by the platform's own extract + load stages and dbt) is scaled with clearly
labelled SYNTHETIC rows (clones whose item_name carries "[SYNTHETIC #k]") to 10^5, 10^6, 10^7
(and 10^8 when memory and disk allow) rows. At each size its expectation suite is run by

  gx_sql     the platform's gate (sector_datasets.gate.validate_table: GX SQL datasource, DuckDB)
  sql        the same suite as hand-written aggregate DuckDB SQL (bench/sqlchecks.py)
  gx_pandas  the same GX suite on a pandas datasource (table read into a DataFrame first)

each in a fresh interpreter (peak RSS of that process = peak memory; imports timed apart). The
suite's row-count bounds are scaled with the table (the only change; printed). Printed: time
ratios gx_sql/sql and gx_pandas/sql per size, peak memory per size, and the fitted growth
exponent k of time ~ rows^k and memory ~ rows^k. The gate must stay pushed down to SQL: peak
memory roughly flat as rows grow, time within a small constant factor of hand-written SQL.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from bench.common import REPO, SYNTHETIC, Report, driver, fit_exponent, log, machine_load, platform_env, private_home, remove_home  # noqa: E402

def base_warehouse(home: Path, base_home: Path | None) -> Path:
    """The warehouse holding the real table to scale: ``base_home``'s copied, or built here."""
    if base_home is None:
        return build_base(home)
    base = home / "base.duckdb"
    shutil.copyfile(base_home / "warehouse.duckdb", base)
    log(f"base: {synthetic.MART} from {base_home}")
    return base


def build_base(home: Path) -> Path:
    """Real rows: the platform's extract + load of faostat_qcl_vnm, then dbt builds the dataset
    (``dbt run --select +agri_crop_production``, the platform's own dbt command line)."""
    import duckdb

    os.environ["SECTOR_DATASETS_HOME"] = str(home)
    os.environ.setdefault("SECTOR_DATASETS_SNAPSHOT_DIR", str(REPO.parent / "shared" / "data"))
    from sector_datasets.orchestration import stages
    from sector_datasets.settings import get_settings
    from sector_datasets.transform.build import dbt_command, dbt_env

    settings = get_settings()
    manifest = stages.extract(synthetic.SECTOR, "faostat_qcl_vnm", "bench_gate")
    stages.load(synthetic.SECTOR, "raw", "bench_gate", [manifest])
    cmd = dbt_command(settings, "run", "--select", f"+{synthetic.DATASET}")
    proc = subprocess.run(cmd, env=dbt_env(settings), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"dbt run failed:\n{proc.stdout[-3000:]}")
    wh = settings.warehouse_path
    con = duckdb.connect(str(wh))
    try:
        real = con.execute(f"SELECT count(*) FROM {synthetic.MART}").fetchone()[0]
    finally:
        con.close()
    log(f"base: {synthetic.MART} with {real:,} real rows (real FAOSTAT payload, built by dbt)")
    return wh


def make_size(base: Path, work: Path, rows: int) -> Path:
    import duckdb

    work.mkdir(parents=True, exist_ok=True)
    wh = work / "warehouse.duckdb"
    shutil.copyfile(base, wh)
    con = duckdb.connect(str(wh))
    try:
        info = synthetic.scale_mart(con, rows)
        for schema, name, kind in con.execute(
            "SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() WHERE NOT internal UNION ALL "
            "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE NOT internal"
        ).fetchall():
            if (schema, name) != ("audit", synthetic.DATASET):
                con.execute(f'DROP {kind} IF EXISTS "{schema}"."{name}" CASCADE')
        con.execute("CHECKPOINT")
    finally:
        con.close()
    log(f"  {rows:,} rows: {info['real_rows']:,} real + {info['rows'] - info['real_rows']:,} {SYNTHETIC}; "
        f"file {wh.stat().st_size / 2**20:.0f} MiB")
    return wh


def measure(variant: str, jobs: list[tuple[Path, Path, int]], env: dict) -> list[dict]:
    """Validate each (warehouse, suites dir, rows) with ``variant`` in one fresh interpreter."""
    args = []
    for wh, suites, rows in jobs:
        lo, hi = synthetic.row_bounds(rows)
        args += [str(wh), str(suites / f"{synthetic.DATASET}.json"), str(lo), str(hi)]
    m = driver("gate_variant.py", variant, "audit", synthetic.DATASET, *args, env=env).check(f"gate {variant}")
    out = m.json_tail()["results"]
    for res in out:
        res["peak_mib"] = m.peak_rss_mib  # of the whole process (max over its jobs)
        res["wall_s"] = m.wall_s
        if not res.get("success"):
            log(f"    WARNING {variant} did not pass: {res.get('failures') or res.get('error')}")
    return out


def show(variant: str, rows: int, best: dict) -> None:
    extra = f", DataFrame load {best['load_df_s']:.2f} s" if "load_df_s" in best else ""
    log(f"    {rows:>11,} rows {variant:9s} {best['validate_s']:8.2f} s (runs {', '.join(f'{x:.2f}' for x in best['runs_s'])}{extra}), "
        f"peak {best['peak_mib']:.0f} MiB, imports {best['import_s']:.1f} s, "
        f"{'pass' if best.get('success') else 'FAIL'} ({best.get('evaluated')} expectations)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes (3·10^3, 3·10^4), one repetition, one interpreter per variant")
    ap.add_argument("--sizes", default="1e5,1e6,1e7,1e8", help="row counts (default 1e5,1e6,1e7,1e8)")
    ap.add_argument("--repeat", type=int, default=2, help="repetitions for sizes <= 10^6 (default 2; best used)")
    ap.add_argument("--pandas-max-rows", type=float, default=None,
                    help="largest size for the pandas datasource (default: what the measured peak says fits in half the RAM)")
    ap.add_argument("--base-home", type=Path, help="take the real table from this home's warehouse instead of building it")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    sizes = [3000, 30000] if args.smoke else [int(float(x)) for x in args.sizes.split(",")]
    repeat = 1 if args.smoke else args.repeat
    ram_mib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    rep = Report(f"Gate cost vs data size — {synthetic.DATASET} scaled with {SYNTHETIC} rows ({machine_load()})")
    home = private_home("gate")
    results: dict[str, dict[int, dict]] = {"gx_sql": {}, "sql": {}, "gx_pandas": {}}
    try:
        base = base_warehouse(home, args.base_home)
        env = platform_env(home)
        if args.smoke:  # every size in one interpreter per variant: imports paid once
            jobs = []
            for rows in sizes:
                jobs.append((make_size(base, home / f"n{rows}", rows), synthetic.scaled_suites(home / f"suites_{rows}", rows), rows))
            for variant in ("sql", "gx_sql", "gx_pandas"):
                for (_, _, rows), res in zip(jobs, measure(variant, jobs, env)):
                    res["runs_s"] = [res["validate_s"]]
                    results[variant][rows] = res
                    show(variant, rows, res)
            rep.note("smoke: all sizes validated in one interpreter per variant; peak memory is the per-process maximum")
        for rows in ([] if args.smoke else sizes):
            free = shutil.disk_usage(home).free / 2**20
            est_disk = 60 * rows / 2**20 * 2  # ~60 B/row compressed, copy + scratch
            if est_disk > free * 0.5:
                rep.note(f"{rows:,} rows skipped: needs ≈{est_disk:.0f} MiB disk, {free:.0f} MiB free")
                continue
            suites = synthetic.scaled_suites(home / f"suites_{rows}", rows)
            wh = make_size(base, home / f"n{rows}", rows)
            for variant in ("sql", "gx_sql", "gx_pandas"):
                if variant == "gx_pandas":
                    limit = args.pandas_max_rows
                    prev = [r for n, r in results["gx_pandas"].items() if n < rows]
                    if limit is not None and rows > limit:
                        rep.note(f"gx_pandas at {rows:,} rows skipped (--pandas-max-rows)")
                        continue
                    if limit is None and prev:
                        n0 = max(n for n in results["gx_pandas"] if n < rows)
                        projected = results["gx_pandas"][n0]["peak_mib"] * rows / n0
                        if projected > ram_mib * 0.5:
                            rep.note(f"gx_pandas at {rows:,} rows skipped: projected peak ≈{projected / 1024:.0f} GiB "
                                     f"(> half of {ram_mib / 1024:.0f} GiB RAM)")
                            continue
                runs = [measure(variant, [(wh, suites, rows)], env)[0] for _ in range(repeat if rows <= 10**6 else 1)]
                best = min(runs, key=lambda r: r["validate_s"])
                best["runs_s"] = [r["validate_s"] for r in runs]
                results[variant][rows] = best
                show(variant, rows, best)
            shutil.rmtree(home / f"n{rows}", ignore_errors=True)
        for rows in sizes:
            sql = results["sql"].get(rows)
            if not sql:
                continue
            for variant in ("gx_sql", "gx_pandas"):
                r = results[variant].get(rows)
                if r:
                    rep.ratio(f"{variant} / sql @ {rows:.0e} rows", r["validate_s"], sql["validate_s"])
        for variant in ("gx_sql", "gx_pandas"):
            done = sorted(n for n in results[variant] if n in results["sql"])
            if len(done) >= 2:
                lo, hi = done[0], done[-1]
                rep.ratio(f"{variant} peak memory {hi:.0e} / {lo:.0e} rows", results[variant][hi]["peak_mib"], results[variant][lo]["peak_mib"],
                          f"{results[variant][hi]['peak_mib']:.0f} MiB / {results[variant][lo]['peak_mib']:.0f} MiB", unit="MiB")
        for variant, res in results.items():
            ns = sorted(res)
            if len(ns) >= 2:
                rep.exponent(f"{variant} time ~ rows^k", fit_exponent(ns, [res[n]["validate_s"] for n in ns]),
                             f"over {ns[0]:.0e}–{ns[-1]:.0e} rows")
                rep.exponent(f"{variant} peak memory ~ rows^k", fit_exponent(ns, [res[n]["peak_mib"] for n in ns]))
                big = [n for n in ns if n >= 10**6]
                if len(big) >= 2:
                    rep.exponent(f"{variant} time ~ rows^k (>= 1e6 rows)", fit_exponent(big, [res[n]["validate_s"] for n in big]))
            for n in ns:
                rep.peak(f"{variant} @ {n:.0e} rows", res[n]["peak_mib"])
        rep.note(f"rows beyond the real {synthetic.DATASET} rows are {SYNTHETIC} (labelled in item_name); "
                 "the suite's row-count bounds are scaled to ±50 % of the size, nothing else changes")
        rep.note("times are validation only (imports excluded, reported in the log); gx_pandas includes reading the table into pandas")
        rep.data = {v: {str(n): r for n, r in res.items()} for v, res in results.items()}
    finally:
        remove_home(home, args.keep)
    rep.print()
    rep.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

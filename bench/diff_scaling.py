#!/usr/bin/env python
"""Benchmark — version diff cost vs data size, against the gate on the same table.

One published dataset (agri_crop_production: its real rows, built from the real FAOSTAT payload
by the platform's extract + load stages and dbt, as in bench/gate_scaling.py) is scaled with
clearly labelled SYNTHETIC rows (item_name carries "[SYNTHETIC #k]") to 10^5, 10^6, 10^7 rows.
At each size the scaled table is kept as the served version ``curated.<dataset>__v0001``; the
candidate ``audit.<dataset>`` is the same table with ≈1 % of its rows revised (+5 % production)
and one new period (the last year's rows as the next year). Then, in this interpreter (imports
paid before any timing):

  diff   sector_datasets.review.diff.compute_diff(candidate, served) — the publish stage's diff
  gate   sector_datasets.gate.validate_table on the candidate with the dataset's combined suite
         (contract baseline + rule file, gate.contract_suite.load_dataset_suite; row-count bounds
         scaled with the table as in gate_scaling)

Printed: ``ratio: diff / gate @ N rows`` per size, and the growth exponent of each. The diff must
stay a fraction of the gate: it is one more scan-and-join, not a second gate.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from bench.common import SYNTHETIC, Report, fit_exponent, log, machine_load, private_home, remove_home  # noqa: E402

SERVED = f"curated.{synthetic.DATASET}__v0001"
CANDIDATE = synthetic.MART


def make_candidate(wh: Path) -> dict:
    """Keep the scaled table as the served version; revise ≈1 % of the candidate's rows and add a period."""
    import duckdb

    con = duckdb.connect(str(wh))
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS curated")
        con.execute(f"CREATE OR REPLACE TABLE {SERVED} AS SELECT * FROM {CANDIDATE}")
        synthetic.revise(con, CANDIDATE, "production_t", [synthetic.MART_KEY, "year"])
        revised = con.execute(f"SELECT count(*) FROM {CANDIDATE} c JOIN {SERVED} s USING ({synthetic.MART_KEY}, year) "
                              "WHERE c.production_t IS DISTINCT FROM s.production_t").fetchone()[0]
        period = synthetic.add_period(con, CANDIDATE, "year")
        con.execute("CHECKPOINT")
        return {"revised": revised, "added": period["rows_added"], "new_period": period["new_period"]}
    finally:
        con.close()


def time_diff(wh: Path, dataset, repeat: int) -> tuple[float, object]:
    import duckdb

    from sector_datasets.review.diff import compute_diff

    runs, summary = [], None
    for _ in range(repeat):
        con = duckdb.connect(str(wh), read_only=True)
        try:
            t0 = time.perf_counter()
            summary = compute_diff(con, dataset, CANDIDATE, SERVED, "bench_diff")
            runs.append(time.perf_counter() - t0)
        finally:
            con.close()
    return min(runs), summary


def time_gate(wh: Path, dataset, suites: Path, repeat: int) -> tuple[float, object]:
    from sector_datasets.gate import validate_table
    from sector_datasets.gate.contract_suite import load_dataset_suite

    runs, verdict = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        suite = load_dataset_suite(dataset, suites, "duckdb")
        verdict = validate_table(wh, "audit", synthetic.DATASET, suite, dataset_id=synthetic.DATASET,
                                 sector_id=synthetic.SECTOR, run_id="bench_diff")
        runs.append(time.perf_counter() - t0)
    return min(runs), verdict


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes (10^3, 10^4), one repetition")
    ap.add_argument("--sizes", default="1e5,1e6,1e7", help="row counts (default 1e5,1e6,1e7)")
    ap.add_argument("--repeat", type=int, default=2, help="repetitions for sizes <= 10^6 (default 2; best used)")
    ap.add_argument("--base-home", type=Path, help="take the real table from this home's warehouse instead of building it")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    sizes = [1000, 10000] if args.smoke else [int(float(x)) for x in args.sizes.split(",")]
    rep = Report(f"Version diff vs gate — {synthetic.DATASET} scaled with {SYNTHETIC} rows ({machine_load()})")
    home = private_home("diff")
    results: dict[int, dict] = {}
    try:
        from bench.gate_scaling import base_warehouse, make_size

        base = base_warehouse(home, args.base_home)
        import great_expectations  # noqa: F401  (import cost outside every timing)

        from sector_datasets.registry import load_registry
        from sector_datasets.settings import get_settings

        _, dataset = load_registry(get_settings().registry_dir).dataset(synthetic.DATASET)
        for rows in sizes:
            free = shutil.disk_usage(home).free / 2**20
            if 60 * rows / 2**20 * 3 > free * 0.5:  # ≈60 B/row: copy, served version, scratch
                rep.note(f"{rows:,} rows skipped: not enough disk ({free:.0f} MiB free)")
                continue
            wh = make_size(base, home / f"n{rows}", rows)
            edit = make_candidate(wh)
            suites = synthetic.scaled_suites(home / f"suites_{rows}", rows)
            repeat = 1 if args.smoke or rows > 10**6 else args.repeat
            if not results:  # GX's first validation in a process builds its context: not the gate's cost
                time_gate(wh, dataset, suites, 1)
            diff_s, summary = time_diff(wh, dataset, repeat)
            gate_s, verdict = time_gate(wh, dataset, suites, repeat)
            results[rows] = {"diff_s": diff_s, "gate_s": gate_s, "edit": edit, "gate_success": verdict.success,
                             "summary": summary.to_dict() | {"revisions": len(summary.revisions)}}
            log(f"    {rows:>11,} rows: diff {diff_s:7.2f} s (added {summary.added:,}, changed {summary.changed:,}, "
                f"periods +{summary.periods_added}), gate {gate_s:7.2f} s ({verdict.evaluated} expectations, "
                f"{'pass' if verdict.success else 'fail'})")
            if (summary.added, summary.changed) != (edit["added"], edit["revised"]):
                raise RuntimeError(f"diff counted {summary.added} added / {summary.changed} changed, the edit made {edit}")
            shutil.rmtree(home / f"n{rows}", ignore_errors=True)
        for rows, r in results.items():
            rep.ratio(f"diff / gate @ {rows:.0e} rows", r["diff_s"], r["gate_s"])
        ns = sorted(results)
        if len(ns) >= 2:
            for what in ("diff", "gate"):
                rep.exponent(f"{what} time ~ rows^k", fit_exponent(ns, [results[n][f"{what}_s"] for n in ns]),
                             f"over {ns[0]:.0e}–{ns[-1]:.0e} rows")
        rep.note(f"rows beyond the real {synthetic.DATASET} rows are {SYNTHETIC} (labelled in item_name); the candidate "
                 "revises ≈1 % of rows (+5 % production_t) and adds one period; the gate's row-count bounds are scaled")
        rep.note("the gate may fail on SYNTHETIC item names its contract does not list; it evaluates every expectation either way")
        rep.data = {str(n): r for n, r in results.items()}
    finally:
        remove_home(home, args.keep)
    rep.print()
    rep.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

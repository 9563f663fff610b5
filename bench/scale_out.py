#!/usr/bin/env python
"""Benchmark — scale-out: every sector DAG on CeleryExecutor with 1 worker vs 2 workers.

Each deployment is the scale-out test's (``devtools.scaleout.CeleryCluster``): a fresh
PostgreSQL metadata database, the Redis broker, api-server, scheduler, dag-processor and N
``airflow celery worker`` processes (same slots per worker), in its own private home, stopped and
dropped at the end. Measured per deployment: start (db migrate → every component ready), run
(first trigger → last DAG run finished, cross-sector DAG included), stop, peak PSS of all its
processes, and which worker ran how many tasks.

    python bench/scale_out.py                        1 and 2 workers, every sector (≈2 × 10 min on 2 cores)
    python bench/scale_out.py --workers 2 --sector transport
    python bench/scale_out.py --smoke                transport only

Needs PostgreSQL and Redis on localhost (``bin/services`` starts them). Not part of
``run_all.py``: it is the slowest benchmark and needs services the others do not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import log, machine_load, private_home, remove_home  # noqa: E402


def one(workers: int, concurrency: int, sectors: list[str] | None, keep: bool, warehouse: str) -> dict:
    from devtools.scaleout import CeleryCluster, format_result

    home = private_home(f"scale-out-{workers}w")
    log(f"{workers} worker(s) × {concurrency} slots, warehouse {warehouse}, home {home} (load {machine_load()})")
    try:
        with CeleryCluster(home, workers=workers, concurrency=concurrency, warehouse=warehouse) as cluster:
            result = cluster.run_all(sectors)
        print(format_result(result, cluster), flush=True)
        return {
            "workers": workers, "concurrency": concurrency, "warehouse": warehouse,
            "states": result.states, "failed": result.failed, "tasks_per_worker": result.workers_used,
            "run_s": result.wall_s, "phase_s": result.phase_s, "peak_pss_mib": result.peak_pss_mb,
            **cluster.timings, "load_after": machine_load(),
        }
    finally:
        remove_home(home, keep=keep)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, action="append", help="worker counts to measure (repeatable; default 1 and 2)")
    ap.add_argument("--concurrency", type=int, default=2, help="task slots per worker (default 2)")
    ap.add_argument("--sector", action="append", default=[], help="sector id (repeatable); default: all")
    ap.add_argument("--warehouse", default="duckdb", choices=["duckdb", "postgres"])
    ap.add_argument("--smoke", action="store_true", help="transport only")
    ap.add_argument("--keep", action="store_true", help="keep the private homes (logs, warehouse)")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    sectors = args.sector or (["transport"] if args.smoke else None)
    results = [one(n, args.concurrency, sectors, args.keep, args.warehouse) for n in (args.workers or [1, 2])]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    print()
    for r in results:
        print(f"{r['workers']} worker(s): start {r['start_s']:.1f} s, run {r['run_s']:.1f} s, stop {r['stop_s']:.1f} s, "
              f"peak PSS {r['peak_pss_mib'] or 0:.0f} MiB, tasks per worker {sorted(r['tasks_per_worker'].values())}"
              + (f", FAILED {r['failed']}" if r["failed"] else ""))
    by = {r["workers"]: r for r in results}
    for n in sorted(by):
        if n != min(by):
            base = by[min(by)]
            print(f"ratio: run_{n}_workers / run_{min(by)}_worker (wall) = {by[n]['run_s'] / base['run_s']:.3f}   "
                  f"({by[n]['run_s']:.1f} s / {base['run_s']:.1f} s)")
            print(f"ratio: peak_pss_{n}_workers / peak_pss_{min(by)}_worker = {(by[n]['peak_pss_mib'] or 0) / (base['peak_pss_mib'] or 1):.3f}")
    for r in results:
        print(f"peak_mib: cluster with {r['workers']} worker(s) = {r['peak_pss_mib'] or 0:.1f}")
    return 1 if any(r["failed"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

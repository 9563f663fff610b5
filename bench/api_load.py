#!/usr/bin/env python
"""Benchmark — the open-data read API under load, on loopback, bounded.

``cli serve`` (one uvicorn process) over the exports of a real inline run of one sector. N
concurrent clients loop over a mix of what harvesters and apps ask (a filtered, sorted page of
rows; the dataset list; a dataset's metadata; a CSV page) for S seconds, first on an idle
machine, then while the same sector's pipeline runs again (forced: extract → dbt → gate →
publish, competing for the 2 cores). Reports throughput, p50/p95 latency and errors per phase,
and the ratio of one filtered page through the API (HTTP, JSON) to the same query run in DuckDB
directly on the same Parquet file.

    python bench/api_load.py                       50 clients × 20 s per phase (agriculture)
    python bench/api_load.py --smoke               5 clients × 2 s
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PYTHON, REPO, Report, log, machine_load, platform_env, private_home, remove_home  # noqa: E402
from bench.overhead import inline_job  # noqa: E402

DATASET = "agri_crop_production"
FILTERED = {"filter": ["year:gte:2010", "production_t:gt:1000"], "sort": "-production_t",
            "columns": "item_name,year,production_t", "limit": 100}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _load(base: str, clients: int, seconds: float) -> dict:
    import httpx

    mix = [("rows", f"{base}/datasets/{DATASET}/rows", FILTERED),
           ("list", f"{base}/datasets", {"q": "lúa"}),
           ("metadata", f"{base}/datasets/{DATASET}", {}),
           ("csv", f"{base}/datasets/{DATASET}/rows", {**FILTERED, "format": "csv"})]
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds

    async def client(n: int) -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            i = n
            while time.perf_counter() < deadline:
                _, url, params = mix[i % len(mix)]
                i += 1
                t0 = time.perf_counter()
                try:
                    r = await http.get(url, params=params)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {url}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {url}")
                latencies.append(time.perf_counter() - t0)

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    took = time.perf_counter() - started
    return {"requests": len(latencies), "seconds": took, "rps": len(latencies) / took,
            "p50_ms": 1000 * _percentile(latencies, 0.50), "p95_ms": 1000 * _percentile(latencies, 0.95),
            "errors": len(errors), "error_samples": errors[:5]}


def _single_page_vs_duckdb(base: str, parquet: Path, n: int) -> tuple[float, float]:
    """Median seconds of one filtered page: through the API (sequential) and in DuckDB directly."""
    import duckdb
    import httpx

    with httpx.Client(timeout=30) as http:
        api = []
        for _ in range(n):
            t0 = time.perf_counter()
            http.get(f"{base}/datasets/{DATASET}/rows", params=FILTERED).raise_for_status()
            api.append(time.perf_counter() - t0)
    con = duckdb.connect()
    sql = (f"SELECT item_name, year, production_t FROM read_parquet('{parquet}') WHERE year >= 2010 AND "
           "production_t > 1000 ORDER BY production_t DESC, item_name, year LIMIT 100")
    direct = []
    for _ in range(n):
        t0 = time.perf_counter()
        con.execute(sql).fetchall()
        direct.append(time.perf_counter() - t0)
    return statistics.median(api), statistics.median(direct)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--sector", default="agriculture")
    ap.add_argument("--smoke", action="store_true", help="5 clients × 2 s per phase")
    ap.add_argument("--base-home", type=Path, help="reuse this inline run's home (bench/run_all.py --smoke)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    if args.smoke:
        args.clients, args.seconds = 5, 2.0
    report = Report(f"read API under load: {args.clients} clients × {args.seconds:.0f} s per phase, loopback")
    report.note(machine_load())
    home = args.base_home or private_home("api-load")
    if not args.base_home:
        inline_job([args.sector], home)
    env = platform_env(home)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([PYTHON, "-m", "sector_datasets.cli", "serve", "--port", str(port)], env=env, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(f"{base}/datasets", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"cli serve did not answer: {server.stderr.read() if server.stderr else ''}")
        parquet = next((home / "exports").glob(f"*/{DATASET}/current")).resolve() / f"{DATASET}.parquet"
        api_s, direct_s = _single_page_vs_duckdb(base, parquet, 20 if args.smoke else 200)
        report.ratio("api filtered page / duckdb direct (median)", api_s, direct_s,
                     f"{1000 * api_s:.2f} ms / {1000 * direct_s:.2f} ms")
        log(f"idle: {args.clients} clients for {args.seconds:.0f} s")
        idle = asyncio.run(_load(base, args.clients, args.seconds))
        log(f"  {idle['rps']:.0f} req/s, p50 {idle['p50_ms']:.1f} ms, p95 {idle['p95_ms']:.1f} ms, {idle['errors']} errors")
        log(f"while the {args.sector} pipeline runs again (forced)")
        pipeline = subprocess.Popen([PYTHON, str(REPO / "bench" / "_drivers" / "inline_run.py"), "api_load_rerun", args.sector],
                                    env={**env, "SECTOR_DATASETS_FORCE_RUN": "1"}, cwd=REPO,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        busy = asyncio.run(_load(base, args.clients, args.seconds))
        pipeline_running_at_end = pipeline.poll() is None
        pipeline.wait()
        log(f"  {busy['rps']:.0f} req/s, p50 {busy['p50_ms']:.1f} ms, p95 {busy['p95_ms']:.1f} ms, {busy['errors']} errors"
            f" (pipeline {'still running' if pipeline_running_at_end else 'finished'} at the end of the phase,"
            f" exit {pipeline.returncode})")
        report.ratio("p95 while publishing / p95 idle", busy["p95_ms"], idle["p95_ms"], unit="ms")
        report.ratio("throughput while publishing / idle", busy["rps"], idle["rps"], unit="req/s")
        report.ratio("errors / requests (idle + publishing)", idle["errors"] + busy["errors"],
                     idle["requests"] + busy["requests"], unit="")
        for name, phase in (("idle", idle), ("publishing", busy)):
            report.note(f"{name}: {phase['requests']} requests in {phase['seconds']:.1f} s = {phase['rps']:.0f} req/s, "
                        f"p50 {phase['p50_ms']:.1f} ms, p95 {phase['p95_ms']:.1f} ms, {phase['errors']} errors "
                        f"{phase['error_samples'] or ''}")
        report.data = {"idle": idle, "publishing": busy, "api_page_s": api_s, "duckdb_page_s": direct_s}
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.base_home:
            remove_home(home, keep=args.keep)
    report.print()
    report.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

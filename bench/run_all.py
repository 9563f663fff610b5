#!/usr/bin/env python
"""Run every benchmark (``make bench``) and print one table of ratios at the end.

    python bench/run_all.py                  the full set (slow: an hour or more on 2 cores)
    python bench/run_all.py --smoke          tiny sizes, no Airflow runs (what tests/test_bench_smoke.py checks)
    python bench/run_all.py --only gate_scaling --only dag_parse

Each benchmark is its own script with --help (bench/overhead.py, gate_scaling.py, diff_scaling.py, dag_parse.py,
noop_rerun.py, incremental.py, api_load.py); extra options for one of them: --args NAME="--opt value ...".
Every figure is a ratio measured within one run; the closing table repeats them all, and
--json-dir keeps each benchmark's full results as JSON.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ["dag_parse", "gate_scaling", "diff_scaling", "noop_rerun", "incremental", "overhead", "proposals", "api_load"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes for every benchmark")
    ap.add_argument("--only", action="append", choices=SCRIPTS, help="run only these (repeatable)")
    ap.add_argument("--args", action="append", default=[], metavar="NAME=ARGS", help='extra arguments, e.g. overhead="--peer-sector agriculture"')
    ap.add_argument("--json-dir", type=Path, help="write each benchmark's results as <name>.json here")
    args = ap.parse_args(argv)
    extra = {}
    for item in args.args:
        name, _, rest = item.partition("=")
        extra[name] = shlex.split(rest)
    if args.json_dir:
        args.json_dir.mkdir(parents=True, exist_ok=True)
    summary: list[str] = []
    failed = []
    t_all = time.perf_counter()
    base_home = None
    if args.smoke and set(args.only or SCRIPTS) - {"dag_parse"}:
        # One real inline run of one sector, shared by every smoke benchmark (dbt's parse and GX's
        # import are paid once instead of once per script).
        sys.path.insert(0, str(BENCH.parent))
        from bench.common import log, private_home
        from bench.overhead import inline_job

        base_home = private_home("smoke-base")
        log(f"smoke: one inline run of the agriculture sector shared by the benchmarks ({base_home})")
        inline_job(["agriculture"], base_home)
    for name in args.only or SCRIPTS:
        cmd = [sys.executable, str(BENCH / f"{name}.py"), *(["--smoke"] if args.smoke else []), *extra.get(name, [])]
        if base_home and name != "dag_parse":
            cmd += ["--base-home", str(base_home)]
        if args.json_dir:
            cmd += ["--json", str(args.json_dir / f"{name}.json")]
        print(f"\n##### {name}: {' '.join(cmd[1:])}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
        rc = proc.wait()
        took = time.perf_counter() - t0
        summary.append(f"[{name}] ({took:.0f} s{', FAILED exit ' + str(rc) if rc else ''})")
        summary += [f"  {l}" for l in lines if l.startswith(("ratio:", "exponent:", "peak_mib:"))]
        if rc:
            failed.append(name)
    if base_home:
        from bench.common import remove_home

        remove_home(base_home)
    print("\n" + "=" * 100)
    print(f"All benchmarks ({time.perf_counter() - t_all:.0f} s){' — SMOKE sizes' if args.smoke else ''}")
    print("=" * 100)
    print("\n".join(summary))
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

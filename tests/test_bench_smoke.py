"""The benchmarks (bench/) at tiny sizes, so they cannot rot: every script runs in --smoke mode
(through ``bench/run_all.py --smoke``, which shares one real inline run of one sector between
them) and must end with its table of ratios, every number finite.

The full benchmarks are slow and are not part of the test run: ``make bench``.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys

import pytest

from sector_datasets.settings import REPO_ROOT
from tests.helpers import platform_env

SCRIPTS = ["dag_parse", "gate_scaling", "diff_scaling", "noop_rerun", "incremental", "overhead", "proposals", "api_load"]
LINE = re.compile(r"^(ratio|exponent|peak_mib): (.+?) = (\S+)")

# What each benchmark must report (a regex over the metric names of its closing table).
EXPECTED = {
    "dag_parse": [r"parse_real / dagbag_import_timeout_default", r"parse_10_sectors / parse_real", r"per_dag"],
    "gate_scaling": [r"gx_sql / sql @", r"gx_pandas / sql @", r"gx_sql time ~ rows\^k", r"gx_sql peak memory"],
    "diff_scaling": [r"diff / gate @", r"diff time ~ rows\^k"],
    "noop_rerun": [r"inline rerun / full \(wall\)", r"inline rerun / full \(CPU\)"],
    "incremental": [r"rebuild after \+1 year / full refresh", r"PROPOSAL incremental dbt model"],
    "overhead": [r"inline_no_airflow / bare_duckdb \(wall\)", r"inline gate \(GX\) / bare checks",
                 r"scaled .*transform\+gate\+publish / bare"],
    "proposals": [r"P2 shared GX context \+ BASIC first pass: after / before"],
    "api_load": [r"api filtered page / duckdb direct", r"p95 while publishing / p95 idle", r"errors / requests"],
}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> dict[str, list[tuple[str, str, float]]]:
    home = tmp_path_factory.mktemp("bench_smoke")
    env = platform_env(home, SECTOR_DATASETS_BENCH_TMP=str(home))
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "run_all.py"), "--smoke"],
        env=env, capture_output=True, text=True, timeout=1800, cwd=REPO_ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    sections: dict[str, list[tuple[str, str, float]]] = {}
    current = None
    for line in proc.stdout.splitlines():
        if line.startswith("##### "):
            current = line.split()[1].rstrip(":")
            sections[current] = []
        elif current and (m := LINE.match(line)):
            raw = m.group(3)
            sections[current].append((m.group(1), m.group(2).strip(), float(raw)))
    return sections


@pytest.mark.slow  # bench/run_all.py --smoke: ≈3 min
@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_smoke_prints_finite_ratios(smoke, script):
    lines = smoke.get(script)
    assert lines, f"bench/{script}.py --smoke printed no ratio table"
    for kind, name, value in lines:
        assert math.isfinite(value), f"{script}: {kind} {name} = {value}"
    names = [name for _, name, _ in lines]
    for pattern in EXPECTED[script]:
        assert any(re.search(pattern, n) for n in names), f"{script}: no line matching {pattern!r} in {names}"


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_has_help(script, tmp_path):
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "bench" / f"{script}.py"), "--help"],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT, env=platform_env(tmp_path))
    assert proc.returncode == 0 and "usage:" in proc.stdout, proc.stderr[-2000:]

"""Shared helpers for the benchmarks: private homes, measured subprocesses, ratio tables.

Every benchmark prints its figures as *ratios measured in one run* (this machine is shared and
noisy; absolute seconds alone mean little) and ends with a table whose lines look like::

    ratio: main_job_airflow / bare_duckdb = 57.31   (412.6 s / 7.2 s)
    exponent: gx_sql time ~ rows^k = 0.41
    peak_mib: gx_sql @ 1e+06 rows = 512.0

``tests/test_bench_smoke.py`` asserts these lines exist with finite numbers.

Nothing here touches the repository's ``var/``: every measurement runs in its own
``SECTOR_DATASETS_HOME`` under a temporary folder.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLUGINS = REPO / "plugins"
BENCH = REPO / "bench"
PYTHON = sys.executable
SNAPSHOT_DIR = Path(os.environ.get("SECTOR_DATASETS_SNAPSHOT_DIR", REPO.parent / "shared" / "data")).resolve()

for p in (str(PLUGINS), str(REPO)):
    if p not in sys.path:
        sys.path.insert(0, p)

#: Label carried by every synthetic row and printed next to every figure measured on them.
SYNTHETIC = "SYNTHETIC"


def log(msg: str) -> None:
    print(f"· {msg}", flush=True)


# ---------------------------------------------------------------------------------------------
# private homes and environments
# ---------------------------------------------------------------------------------------------


def bench_root() -> Path:
    root = Path(os.environ.get("SECTOR_DATASETS_BENCH_TMP", tempfile.gettempdir())) / "sector-datasets-bench"
    root.mkdir(parents=True, exist_ok=True)
    return root


def private_home(tag: str) -> Path:
    """A fresh SECTOR_DATASETS_HOME (never the repository's var/)."""
    return Path(tempfile.mkdtemp(prefix=f"{tag}-", dir=bench_root()))


def remove_home(path: Path, keep: bool = False) -> None:
    if keep:
        log(f"kept {path}")
        return
    for p in path.rglob("*"):  # exports are made read-only by publish
        try:
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
            elif p.is_file() and not p.is_symlink():
                p.chmod(0o644)
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


def platform_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment a user's shell would have, pointed at a private home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "SECTOR_DATASETS_"))}
    env.update(
        SECTOR_DATASETS_HOME=str(home),
        SECTOR_DATASETS_SNAPSHOT_DIR=str(SNAPSHOT_DIR),
        PYTHONPATH=os.pathsep.join([str(PLUGINS), str(REPO)]),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
    )
    env.update(extra)
    return env


# ---------------------------------------------------------------------------------------------
# measured subprocesses
# ---------------------------------------------------------------------------------------------


@dataclass
class Measured:
    cmd: list[str]
    wall_s: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mib: float  # max RSS of the direct child (not of its own children)
    user_s: float = 0.0
    sys_s: float = 0.0

    def check(self, what: str) -> Measured:
        if self.returncode != 0:
            tail = "\n".join((self.stdout + "\n" + self.stderr).splitlines()[-40:])
            raise RuntimeError(f"{what} failed (exit {self.returncode}):\n{tail}")
        return self

    def json_tail(self) -> dict:
        """The last stdout line that is a JSON object (drivers print their result that way)."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith("{") and line.endswith("}"):
                return json.loads(line)
        raise RuntimeError(f"no JSON result in output of {' '.join(self.cmd)}:\n{self.stdout[-2000:]}\n{self.stderr[-2000:]}")


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = REPO, timeout: float | None = None) -> Measured:
    """Run ``cmd`` to completion; wall time, exit code, output and the child's peak RSS."""
    out_f = tempfile.TemporaryFile(mode="w+")
    err_f = tempfile.TemporaryFile(mode="w+")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out_f, stderr=err_f, text=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_f.seek(0)
    err_f.seek(0)
    return Measured(cmd, wall, proc.returncode, out_f.read(), err_f.read(), usage.ru_maxrss / 1024.0, usage.ru_utime, usage.ru_stime)


def driver(script: str, *args: str, env: dict[str, str], timeout: float | None = None) -> Measured:
    """Run one of bench/_drivers/*.py in a fresh interpreter (so imports are part of the cost)."""
    return run([PYTHON, str(BENCH / "_drivers" / script), *args], env=env, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------


@dataclass
class Report:
    """Collects ratios and notes; prints the closing table (and optionally writes JSON)."""

    title: str
    ratios: list[tuple[str, float, str]] = field(default_factory=list)
    exponents: list[tuple[str, float, str]] = field(default_factory=list)
    peaks: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def ratio(self, name: str, num: float, den: float, detail: str = "", unit: str = "s") -> float:
        value = num / den if den else float("inf")
        self.ratios.append((name, value, detail or f"{num:.2f} {unit} / {den:.2f} {unit}"))
        return value

    def exponent(self, name: str, value: float, detail: str = "") -> None:
        self.exponents.append((name, value, detail))

    def peak(self, name: str, mib: float) -> None:
        self.peaks.append((name, mib))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def print(self) -> None:
        print()
        print("=" * 100)
        print(f"{self.title}")
        print("=" * 100)
        width = max([len(n) for n, *_ in self.ratios + self.exponents] + [10])
        for name, value, detail in self.ratios:
            print(f"ratio: {name.ljust(width)} = {value:.3g}   ({detail})")
        for name, value, detail in self.exponents:
            print(f"exponent: {name.ljust(width)} = {value:.3g}   {detail}")
        for name, mib in self.peaks:
            print(f"peak_mib: {name.ljust(width)} = {mib:.0f}")
        for text in self.notes:
            print(f"note: {text}")
        sys.stdout.flush()

    def dump(self, path: Path | None) -> None:
        if not path:
            return
        payload = {
            "title": self.title,
            "ratios": [{"name": n, "value": v, "detail": d} for n, v, d in self.ratios],
            "exponents": [{"name": n, "value": v, "detail": d} for n, v, d in self.exponents],
            "peaks_mib": dict(self.peaks),
            "notes": self.notes,
            "data": self.data,
        }
        Path(path).write_text(json.dumps(payload, indent=2, default=str))


def fit_exponent(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) on log(x): y ~ x^k."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y > 0]
    if len(pts) < 2:
        return float("nan")
    mx = statistics.fmean(p[0] for p in pts)
    my = statistics.fmean(p[1] for p in pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else float("nan")


def spread(values: list[float]) -> str:
    """'12.3 s (min 11.9, max 12.8, n=2)' — how noisy repeated measurements were."""
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{values[0]:.2f} s (n=1)"
    return f"{min(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def machine_load() -> str:
    try:
        one, five, _ = os.getloadavg()
        return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"
    except OSError:
        return "load average unknown"

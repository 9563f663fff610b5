"""Where a whole ``cli run`` spends its time, stage by stage, from a py-spy sampling profile.

    py-spy record --subprocesses --rate 40 --format raw -o main.folded -- \\
        .venv/bin/python -m sector_datasets.cli run
    python -m devtools.stage_profile main.folded [--rate 40] [--detail]

(py-spy is a development tool, not in requirements.txt: ``pip install py-spy`` from the package
registry.) A sampling profiler sees every thread of every process without slowing them the way
cProfile does, so the seconds here add up to the job's CPU time: dbt runs its nodes in its own
worker threads and Airflow's in-process execution API answers the task runner from another, and
both show up. Each sample is attributed to one bucket:

* ``transform (dbt)``: any dbt frame, in whichever thread;
* ``gate``, ``publish``, ``load``, ``extract``, ``report``: under the pipeline's stage wrapper
  (``orchestration.stages``), by the stage function's name;
* ``airflow``: the rest of the Airflow interpreter's samples once a DAG runs (``DAG.test``'s
  scheduling loop, the task runner and supervisor, the execution API's threads);
* ``process start``: the Airflow interpreter before and between DAGs (imports, the metadata DB
  migration check, the pool);
* ``cli``: the ``cli run`` process itself (the site rendered once, the summary).

``--detail`` adds, inside each bucket, the time of a few named functions worth watching (the
warehouse writer connections, GX's validation, the XLSX writer, the catalog rebuild).
"""

from __future__ import annotations

import argparse
import collections
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

STAGE_WRAPPER = "decorate.<locals>.wrapper (sector_datasets/orchestration/stages.py"
STAGES = ("extract", "load", "transform", "gate", "publish", "report")
#: Functions whose inclusive time ``--detail`` reports, by a substring of py-spy's frame.
WATCHED = {
    "warehouse writer connection (open + close)": "connect_writer (sector_datasets/warehouse/duckdb_lock.py",
    "GX validation": "validate_table (sector_datasets/gate/",
    "dbt project parse": "ManifestLoader.load (dbt/parser/manifest.py",
    "XLSX export": "write_xlsx (sector_datasets/publish/export_files.py",
    "catalog rebuild": "rebuild_catalog (sector_datasets/publish/exports.py",
    "metadata DB migration check": "upgradedb (airflow/utils/db.py",
}
_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")


@dataclass(frozen=True)
class Sample:
    process: str  # py-spy's innermost "process N:…" frame: the command line
    frames: tuple[str, ...]  # outermost first, without the process frames
    count: int


def read_folded(lines: Iterable[str]) -> list[Sample]:
    """py-spy's ``--format raw`` lines: ``frame;frame;… count``."""
    samples = []
    for line in lines:
        match = _LINE.match(line.rstrip("\n"))
        if not match:
            continue
        parts = match["stack"].split(";")
        processes = [p for p in parts if p.startswith("process ")]
        frames = tuple(p for p in parts if not p.startswith("process "))
        samples.append(Sample(processes[-1] if processes else "", frames, int(match["count"])))
    return samples


def bucket(sample: Sample) -> str:
    """The one bucket a sample's time belongs to (module docstring)."""
    if any("dbt/" in f for f in sample.frames):
        return "transform (dbt)"
    if "sector_datasets.orchestration.dag_batch" not in sample.process:
        return "cli"
    for i, frame in enumerate(sample.frames):
        if STAGE_WRAPPER in frame:
            below = sample.frames[i + 1] if i + 1 < len(sample.frames) else ""
            name = below.split(" (", 1)[0]
            return name if name in STAGES else "other stage work"
    if any(f.startswith("DAG.test (") for f in sample.frames) or (
        sample.frames and sample.frames[0].startswith("Thread._bootstrap")
    ):
        return "airflow"
    return "process start"


def attribute(samples: Iterable[Sample], rate: float) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Seconds per bucket, and per bucket the seconds of each :data:`WATCHED` function."""
    buckets: collections.Counter[str] = collections.Counter()
    watched: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for sample in samples:
        name = bucket(sample)
        buckets[name] += sample.count
        for label, needle in WATCHED.items():
            if any(needle in f for f in sample.frames):
                watched[name][label] += sample.count
    seconds = {k: v / rate for k, v in buckets.most_common()}
    return seconds, {k: {label: n / rate for label, n in c.most_common()} for k, c in watched.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.stage_profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("folded", type=Path, help="py-spy record --format raw output")
    parser.add_argument("--rate", type=float, default=40.0, help="py-spy's --rate (samples per second; default 40)")
    parser.add_argument("--detail", action="store_true", help="the watched functions inside each bucket")
    args = parser.parse_args(argv)
    with args.folded.open(encoding="utf-8", errors="replace") as f:
        seconds, watched = attribute(read_folded(f), args.rate)
    total = sum(seconds.values())
    print(f"{'bucket':<22} {'seconds':>8} {'share':>6}")
    for name, s in seconds.items():
        print(f"{name:<22} {s:8.1f} {s / total:6.0%}")
        if args.detail:
            for label, w in watched.get(name, {}).items():
                print(f"    {label:<44} {w:6.1f}")
    print(f"{'sampled':<22} {total:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

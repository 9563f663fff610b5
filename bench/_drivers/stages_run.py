"""Driver (fresh interpreter): selected pipeline stages of one sector, each timed; one JSON line.

usage: stages_run.py SECTOR RUN_ID [--stages transform,gate,publish] [--expectations DIR]
       [--manifest-out FILE]

The stage functions are the platform's own (sector_datasets.orchestration.stages). ``--expectations`` points
the gate at a copy of the suites (used for tables scaled with synthetic rows, whose row-count
bounds are scaled with them); nothing else is changed.
"""

import json
import sys
import time

t_start = time.perf_counter()
from pathlib import Path as _P
_REPO = _P(__file__).resolve().parents[2]
sys.path[:0] = [str(_REPO), str(_REPO / "plugins")]

import argparse  # noqa: E402
from pathlib import Path  # noqa: E402

from sector_datasets import settings as settings_mod  # noqa: E402
from sector_datasets.orchestration import stages  # noqa: E402
from sector_datasets.registry import load_registry  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("sector")
ap.add_argument("run_id")
ap.add_argument("--stages", default="extract,load,transform,gate,publish,report")
ap.add_argument("--expectations", type=Path)
ap.add_argument("--manifest-out", type=Path)
args = ap.parse_args()
if args.expectations:
    settings_mod.Settings.expectations_dir = property(lambda self: args.expectations)

t_imported = time.perf_counter()
settings = settings_mod.get_settings()
registry = load_registry(settings.registry_dir)
sector = registry.sector(args.sector)
selected = args.stages.split(",")
timings = []


def timed(stage, target, func, *a):
    t0 = time.perf_counter()
    ok = True
    try:
        return func(args.sector, target, args.run_id, *a)
    except Exception as exc:
        ok = False
        return exc
    finally:
        timings.append({"stage": stage, "target": target, "s": time.perf_counter() - t0, "ok": ok})


manifests = []
if "extract" in selected:
    manifests = [timed("extract", s.id, stages.extract) for s in registry.sources_for(sector)]
if "load" in selected and manifests:
    timed("load", "raw", stages.load, manifests)
build = None
if "transform" in selected:
    build = timed("transform", "dbt", stages.transform)
    if args.manifest_out:
        from sector_datasets.transform import dbt_runner

        dbt_runner.current_manifest().write(str(args.manifest_out))  # with the compiled SQL it ran
failed = {}
published = {}
for ds in sector.datasets:
    verdict = None
    if "gate" in selected and isinstance(build, dict):
        verdict = timed("gate", ds.id, stages.gate, build)
        if isinstance(verdict, Exception):
            failed[ds.id] = str(verdict)[:1000]
            continue
    if "publish" in selected and isinstance(verdict, dict):
        pub = timed("publish", ds.id, stages.publish, verdict)
        published[ds.id] = pub if isinstance(pub, dict) else str(pub)[:500]
if "report" in selected:
    timed("report", "sector", stages.report)
print(json.dumps({"import_s": t_imported - t_start, "process_s": time.perf_counter() - t_start,
                  "timings": timings, "failed": failed,
                  "build_failures": build.get("failures") if isinstance(build, dict) else str(build)[:2000],
                  "published": published}, default=str))

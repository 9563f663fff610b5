"""Driver (fresh interpreter): inline.run_all with every stage timed; prints one JSON line.

usage: inline_run.py RUN_ID [SECTOR ...]
(env SECTOR_DATASETS_BENCH_MANIFESTS=DIR keeps each sector's dbt manifest.json there)
The stage functions are the ones the DAG tasks call (sector_datasets.orchestration.stages); they are wrapped
here with a timer, nothing else changes. No Airflow is involved.
"""

import json
import os
import sys
import time
from pathlib import Path

t_start = time.perf_counter()
from pathlib import Path as _P
_REPO = _P(__file__).resolve().parents[2]
sys.path[:0] = [str(_REPO), str(_REPO / "plugins")]

from sector_datasets.orchestration import inline, stages  # noqa: E402

t_imported = time.perf_counter()
timings: list[dict] = []
MANIFESTS = Path(os.environ["SECTOR_DATASETS_BENCH_MANIFESTS"]) if os.environ.get("SECTOR_DATASETS_BENCH_MANIFESTS") else None


def timed(name, func):
    def wrapper(sector_id, target, run_id, *args, **kwargs):
        t0 = time.perf_counter()
        ok = True
        try:
            return func(sector_id, target, run_id, *args, **kwargs)
        except Exception:
            ok = False
            raise
        finally:
            timings.append({"stage": name, "sector": sector_id, "target": target, "s": time.perf_counter() - t0, "ok": ok})
            if name == "transform" and MANIFESTS:
                # keep the compiled SQL of what this sector's dbt build ran (bench/bare.py selects it)
                from sector_datasets.transform import dbt_runner

                MANIFESTS.mkdir(parents=True, exist_ok=True)
                dbt_runner.current_manifest().write(str(MANIFESTS / f"{sector_id}.json"))

    return wrapper


for stage in ("extract", "load", "transform", "gate", "publish", "report"):
    setattr(stages, stage, timed(stage, getattr(stages, stage)))

run_id = sys.argv[1]
sectors = sys.argv[2:] or None
t0 = time.perf_counter()
outcome = inline.run_all(run_id, sectors)
t_run = time.perf_counter() - t0
failed = {f"{s}/{d}": str(r)[:300] for s, ds in outcome.items() for d, r in ds.items() if isinstance(r, Exception)}
new_versions = sum(1 for ds in outcome.values() for r in ds.values() if isinstance(r, dict) and r.get("new_version"))
print(json.dumps({
    "import_s": t_imported - t_start, "run_s": t_run, "process_s": time.perf_counter() - t_start,
    "timings": timings, "failed": failed, "new_versions": new_versions,
    "datasets": sum(len(ds) for ds in outcome.values()),
}))

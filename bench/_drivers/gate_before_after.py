"""Driver: the gate of several datasets in one process, the platform's ``validate_table`` of an
older revision ("before") vs this tree's ("after"), interleaved, each timed twice (the best of two
is kept); one JSON line.

usage: gate_before_after.py BEFORE_VALIDATE_PY WAREHOUSE EXPECTATIONS_DIR DATASET [DATASET ...]

BEFORE_VALIDATE_PY is that revision's plugins/sector_datasets/gate/validate.py (bench/revision.py
exports it). Both must return the same verdicts: every field of every expectation's outcome
(observed values, unexpected counts and examples) except the timing fields; printed as
``same_verdicts``.
"""

import importlib.util
import json
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(_REPO), str(_REPO / "plugins")]

from sector_datasets.gate import validate_table  # noqa: E402

before_py, wh, expectations, *datasets = sys.argv[1:]
wh, expectations = Path(wh), Path(expectations)
spec = importlib.util.spec_from_file_location("before_validate", before_py)
before = importlib.util.module_from_spec(spec)
sys.modules["before_validate"] = before  # dataclasses look their module up there
spec.loader.exec_module(before)


def gate(fn):
    out = {}
    for d in datasets:
        v = fn(wh, "audit", d, expectations / f"{d}.json", dataset_id=d, sector_id="bench", run_id="bench").to_dict()
        v.pop("duration_s")
        v.pop("started_at")
        out[d] = v
    return out


variants = {"before": lambda: gate(before.validate_table), "after": lambda: gate(validate_table)}
gate(before.validate_table)  # warm-up: GX's import and lazy imports, untimed
times = {k: [] for k in variants}
verdicts = {}
for _ in range(2):
    for name, fn in variants.items():
        t0 = time.perf_counter()
        verdicts[name] = fn()
        times[name].append(time.perf_counter() - t0)
print(json.dumps({"before_s": min(times["before"]), "after_s": min(times["after"]), "runs": times,
                  "success": {d: v["success"] for d, v in verdicts["after"].items()},
                  "same_verdicts": verdicts["before"] == verdicts["after"]}))

"""Driver: the gate of several datasets in one process, three ways, each timed twice
(interleaved; the best of two is kept); one JSON line.

  current   today's sector_datasets.gate.validate_table per dataset (new ephemeral GX context,
            SQL datasource and engine, suite + validation definition written to GX's stores)
  shared    prototype: one GX context + SQL datasource for all datasets, ``batch.validate(suite)``
            (no store writes), result_format SUMMARY as today
  boolean   ``shared`` with result_format BOOLEAN_ONLY (no unexpected counts / example values; a
            failing suite would be re-validated with SUMMARY for the report, so this is the
            passing path's cost)

usage: gate_shared.py WAREHOUSE DATASET [DATASET ...]
All variants must reach the same verdicts (printed).
"""

import json
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(_REPO), str(_REPO / "plugins")]

import great_expectations as gx  # noqa: E402

from sector_datasets.gate import duckdb_workaround, validate_table  # noqa: E402
from sector_datasets.gate.suites import load_suite  # noqa: E402
from sector_datasets.gate.validate import RESULT_FORMAT, _dispose, _quiet_progress_bars  # noqa: E402

wh = Path(sys.argv[1])
datasets = sys.argv[2:]


def suite(d):
    return _REPO / "expectations" / f"{d}.json"


def current():
    return {d: validate_table(wh, "audit", d, suite(d), dataset_id=d, sector_id="b", run_id="b").success for d in datasets}


def shared(result_format):
    duckdb_workaround.apply()
    context = gx.get_context(mode="ephemeral")
    _quiet_progress_bars(context)
    source = context.data_sources.add_sql(name="warehouse", connection_string=f"duckdb:///{wh.resolve()}",
                                          kwargs={"connect_args": {"read_only": True}})
    out = {}
    try:
        for d in datasets:
            asset = source.add_table_asset(name=f"audit.{d}", table_name=d, schema_name="audit")
            batch = asset.add_batch_definition_whole_table("whole").get_batch()
            out[d] = bool(batch.validate(load_suite(suite(d)), result_format=result_format).success)
    finally:
        _dispose(source)
    return out


variants = {"current": current, "shared": lambda: shared(RESULT_FORMAT),
            "boolean": lambda: shared({"result_format": "BOOLEAN_ONLY"})}
current()  # warm-up: GX's lazy imports, untimed
times = {k: [] for k in variants}
verdicts = {}
for _ in range(2):
    for name, fn in variants.items():
        t0 = time.perf_counter()
        verdicts[name] = fn()
        times[name].append(time.perf_counter() - t0)
print(json.dumps({"current_s": min(times["current"]), "shared_s": min(times["shared"]), "boolean_s": min(times["boolean"]),
                  "runs": times, "current": verdicts["current"],
                  "same_verdicts": verdicts["current"] == verdicts["shared"] == verdicts["boolean"]}))

"""Driver (fresh interpreter): the bare-DuckDB baseline for some sectors; prints one JSON line.

usage: bare_run.py WAREHOUSE MANIFEST_DIR EXPORTS_DIR SECTOR [SECTOR ...] [--scale JSON] [--served JSON]
MANIFEST_DIR/<sector>.json is the manifest.json of that sector's own dbt build (compiled SQL).
WAREHOUSE must already hold only the inputs (see bare.strip_to_inputs); it is modified.
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

import duckdb  # noqa: E402

t_imported = time.perf_counter()

from bench import bare  # noqa: E402
from sector_datasets.registry import load_registry  # noqa: E402
from sector_datasets.settings import get_settings  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("warehouse")
ap.add_argument("manifests", type=Path)
ap.add_argument("exports")
ap.add_argument("sectors", nargs="+")
ap.add_argument("--scale", default="{}", help="dataset id -> [min,max] row-count bounds (synthetic scaling)")
ap.add_argument("--served", default="{}",
                help="dataset id -> [served version table, primary key, period column]: diff against it before publishing")
ap.add_argument("--mart-prefix", default=None)
args = ap.parse_args()

settings = get_settings()
registry = load_registry(settings.registry_dir)
scale = {k: tuple(v) for k, v in json.loads(args.scale).items()}
served = {k: tuple(v) for k, v in json.loads(args.served).items()}

t0 = time.perf_counter()
con = duckdb.connect(args.warehouse)
t_connect = time.perf_counter() - t0
out = {"import_duckdb_s": t_imported - t_start, "connect_s": t_connect, "sectors": {}}
for sector_id in args.sectors:
    sector = registry.sector(sector_id)
    manifest = json.loads((args.manifests / f"{sector_id}.json").read_text())
    plan = bare.sector_plan(manifest, sector_id, args.mart_prefix)
    datasets = [(d.id, d.model_name, settings.expectations_dir / f"{d.suite_name}.json") for d in sector.datasets]
    t = bare.run_sector(con, plan, datasets, Path(args.exports), scale, served)
    out["sectors"][sector_id] = {
        "transform_s": t.transform_s, "dbt_tests_s": t.dbt_tests_s, "checks_s": t.checks_s, "diff_s": t.diff_s,
        "publish_s": t.publish_s, "diffs": t.diffs,
        "models": t.models, "tests": t.tests, "failing_tests": t.failing_tests,
        "checks": {k: {str(i): ok for i, ok in v.items()} for k, v in t.checks.items()},
        "skipped": t.skipped,
    }
con.close()
out["work_s"] = sum(s["transform_s"] + s["dbt_tests_s"] + s["checks_s"] + s["diff_s"] + s["publish_s"]
                    for s in out["sectors"].values())
out["process_s"] = time.perf_counter() - t_start
print(json.dumps(out))

"""Driver (fresh interpreter): parse dags/ the way Airflow's DAG processor does; one JSON line.

usage: dag_parse.py DAGS_FOLDER REGISTRY_DIR [REGISTRY_DIR ...]

The processor parses each DAG file in a child process that already imported Airflow; so Airflow's
import is timed apart from the parse. Each registry is parsed twice: ``parse_s`` (the first parse
in this process: what the processor pays, project modules imported on the way; only truly cold
for the first registry given) and ``reparse_s`` (modules already imported).
"""

import json
import os
import sys
import time

t0 = time.perf_counter()
from airflow.dag_processing.dagbag import DagBag  # noqa: E402

t1 = time.perf_counter()
folder = sys.argv[1]
results = []
for registry in sys.argv[2:]:
    os.environ["SECTOR_DATASETS_REGISTRY"] = registry
    a = time.perf_counter()
    bag = DagBag(dag_folder=folder)
    b = time.perf_counter()
    DagBag(dag_folder=folder)
    c = time.perf_counter()
    results.append({
        "registry": registry, "parse_s": b - a, "reparse_s": c - b, "dags": len(bag.dags),
        "tasks": sum(len(d.tasks) for d in bag.dags.values()),
        "errors": {k: str(v)[:500] for k, v in bag.import_errors.items()},
    })
print(json.dumps({"import_airflow_s": t1 - t0, "results": results}))

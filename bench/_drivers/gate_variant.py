"""Driver (fresh interpreter): validate one table with one gate implementation; one JSON line.

usage: gate_variant.py {gx_sql,sql,gx_pandas} SCHEMA TABLE WAREHOUSE SUITE_JSON MIN_ROWS MAX_ROWS [WAREHOUSE SUITE_JSON MIN MAX ...]

(several warehouses: validated one after the other in this process — the smoke mode's way of
paying the imports once; peak memory is then the maximum over all of them)

  gx_sql     the platform's gate: sector_datasets.gate.validate_table (GX SQL datasource on DuckDB)
  sql        the suite as hand-written aggregate DuckDB SQL (bench/sqlchecks.py)
  gx_pandas  the same GX suite on a pandas datasource (the table read into a DataFrame first)

Prints import time, validation time (and for pandas the DataFrame load time), the verdict.
Peak memory is read by the parent (wait4 ru_maxrss of this process).
"""

import json
import sys
import time

t_start = time.perf_counter()
from pathlib import Path as _P  # noqa: E402

_REPO = _P(__file__).resolve().parents[2]
sys.path[:0] = [str(_REPO), str(_REPO / "plugins")]

variant, schema, table = sys.argv[1:4]
rest = sys.argv[4:]
jobs = [rest[i : i + 4] for i in range(0, len(rest), 4)]
outs = []
imported = False


def validate(variant, warehouse, suite_path, lo, hi):
  global imported
  out = {"variant": variant}

  if variant == "sql":
      import duckdb

      from bench.sqlchecks import run_suite, suite_sql

      t0 = time.perf_counter()
      out["import_s"] = 0.0 if imported else t0 - t_start
      con = duckdb.connect(warehouse, read_only=True)
      s = suite_sql(_P(suite_path), schema, table, row_count_scale=(int(lo), int(hi)))
      res = run_suite(con, s)
      out["validate_s"] = time.perf_counter() - t0
      out["success"] = all(res.values())
      out["evaluated"] = len(res)
      out["skipped"] = s.skipped
      con.close()
  elif variant == "gx_sql":
      import great_expectations  # noqa: F401  (import cost reported apart)

      from sector_datasets.gate import validate_table

      t0 = time.perf_counter()
      out["import_s"] = 0.0 if imported else t0 - t_start
      v = validate_table(_P(warehouse), schema, table, _P(suite_path), dataset_id=table, sector_id="bench", run_id="bench")
      out["validate_s"] = time.perf_counter() - t0
      out["success"] = v.success
      out["evaluated"] = v.evaluated
      out["error"] = v.error
      out["failures"] = [r.describe() for r in v.failures][:5]
  elif variant == "gx_pandas":
      import duckdb
      import great_expectations as gx

      from sector_datasets.gate.suites import load_suite
      from sector_datasets.gate.gx_source import quiet_progress_bars
      from sector_datasets.gate.validate import run_suite as run_gx_suite

      t0 = time.perf_counter()
      out["import_s"] = 0.0 if imported else t0 - t_start
      con = duckdb.connect(warehouse, read_only=True)
      df = con.execute(f'SELECT * FROM "{schema}"."{table}"').df()
      con.close()
      t1 = time.perf_counter()
      out["load_df_s"] = t1 - t0
      context = gx.get_context(mode="ephemeral")
      quiet_progress_bars(context)
      asset = context.data_sources.add_pandas("pandas").add_dataframe_asset(name=table)
      batch = asset.add_batch_definition_whole_dataframe("whole")
      # the same two passes as the platform's gate (BASIC, then SUMMARY for what found anything)
      results = run_gx_suite(batch, load_suite(_P(suite_path)), {"dataframe": df})
      out["validate_s"] = time.perf_counter() - t0
      out["success"] = all(r.success for r in results)
      out["evaluated"] = len(results)
      out["failures"] = [str(r.expectation_config.type) for r in results if not r.success][:5]
  else:
      raise SystemExit(f"unknown variant {variant}")
  imported = True
  return out


for warehouse, suite_path, lo, hi in jobs:
    outs.append(validate(variant, warehouse, suite_path, lo, hi))
print(json.dumps({"process_s": time.perf_counter() - t_start, "results": outs}, default=str))

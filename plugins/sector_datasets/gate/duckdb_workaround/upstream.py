"""Is the workaround still needed? Probes of the installed GX / SQLAlchemy / duckdb-engine.

``tests/gate/test_duckdb_workaround.py`` turns each probe into a failing test with a "remove
patch N" message once upstream is fixed; ``python -m sector_datasets.gate.duckdb_workaround``
prints them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

_PROBE_SCRIPT = r"""
import json, os, sys, tempfile
import duckdb
patched = sys.argv[1] == "patched"
out = {"patched": patched, "ok": False, "row_count": None, "error": None}
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "probe.duckdb")
    con = duckdb.connect(db)
    con.execute("CREATE TABLE probe AS SELECT range AS id FROM range(3)")
    con.close()
    import great_expectations as gx
    if patched:
        from sector_datasets.gate import duckdb_workaround
        duckdb_workaround.apply()
    ctx = gx.get_context(mode="ephemeral")
    ds = ctx.data_sources.add_sql("probe", connection_string="duckdb:///" + db)
    batch = ds.add_table_asset("probe", table_name="probe").add_batch_definition_whole_table("all").get_batch()
    res = batch.validate(gx.expectations.ExpectTableRowCountToEqual(value=3))
    out["ok"] = bool(res.success)
    out["row_count"] = (res.result or {}).get("observed_value")
    errors = [
        info.get("exception_message") or ""
        for info in (res.exception_info or {}).values()
        if isinstance(info, dict) and info.get("raised_exception")
    ]
    tracebacks = [
        info.get("exception_traceback") or ""
        for info in (res.exception_info or {}).values()
        if isinstance(info, dict) and info.get("raised_exception")
    ]
    out["error"] = "; ".join(errors) or None
    out["index_error"] = any("IndexError" in tb for tb in tracebacks)
    out["dialect_module_missing"] = ds.get_execution_engine().dialect_module is None
    ds.get_engine().dispose()
    ds.get_execution_engine().close()
print("PROBE_RESULT=" + json.dumps(out))
"""


def probe(patched: bool, timeout_s: float = 180.0) -> dict[str, Any]:
    """Run one metric (table row count of a 3-row DuckDB table) in a clean subprocess.

    Returns ``{"patched", "ok", "row_count", "error", "index_error", "dialect_module_missing"}``. A subprocess so that the
    unpatched run is not affected by a patch already applied in this process.
    """
    # plugins/ (four levels up from plugins/sector_datasets/gate/duckdb_workaround/upstream.py)
    plugins_dir = os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    )
    env_path = [plugins_dir, *sys.path]
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE_SCRIPT, "patched" if patched else "unpatched"],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in env_path if p)},
    )
    for line in proc.stdout.splitlines():
        if line.startswith("PROBE_RESULT="):
            return json.loads(line.removeprefix("PROBE_RESULT="))
    raise RuntimeError(
        f"duckdb_workaround probe ({'patched' if patched else 'unpatched'}) produced no result "
        f"(exit {proc.returncode}): {proc.stderr[-2000:]}"
    )


def is_upstream_fixed() -> bool:
    """True when an unpatched GX computes a metric on DuckDB correctly (subprocess, ~6 s)."""
    result = probe(patched=False)
    return bool(result["ok"]) and result["row_count"] == 3


def reflection_is_broken() -> bool:
    """True while SQLAlchemy/duckdb-engine cannot reflect a schema-qualified DuckDB table.

    No GX involved (fast): ``inspect(engine).get_columns("t", schema="s")`` on a throwaway file.
    When this returns False the column-reflection patch (:mod:`.reflection`) can go.
    """
    import tempfile

    import duckdb
    import sqlalchemy as sa

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "reflect.duckdb")
        con = duckdb.connect(db)
        con.execute("CREATE SCHEMA s; CREATE TABLE s.t (id BIGINT, name VARCHAR)")
        con.close()
        engine = sa.create_engine(f"duckdb:///{db}")
        try:
            columns = sa.inspect(engine).get_columns("t", schema="s")
            return [c["name"] for c in columns] != ["id", "name"]
        except sa.exc.DBAPIError:
            return True
        finally:
            engine.dispose()

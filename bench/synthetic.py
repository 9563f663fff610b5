"""Clearly labelled SYNTHETIC rows for scaling one published dataset (agri_crop_production).

Real rows are never changed. Synthetic rows are clones of the real rows whose item name carries
the label ``[SYNTHETIC #k]`` (so the primary key (item_name, year) stays unique and every
other value keeps the real distribution, i.e. the suite still passes), created either

* at the **raw** level (``raw.faostat_qcl_vnm``: every real raw row except live-animal stocks,
  which feed another dataset, cloned with ``item`` = ``<item> [SYNTHETIC #k]``), so dbt's staging
  and mart models do the real work on them; each clone yields one clone of every real mart row; or
* at the **mart** level (``audit.agri_crop_production`` directly), for the gate benchmark.

``add_year`` appends one more (synthetic) year: the last real year's rows re-labelled as the
next year, for the incremental-growth benchmark.

Because the suite's row-count expectation describes the real table (1 300–4 500 rows),
``scaled_suites`` writes a copy of expectations/ in which only that expectation's bounds of the
scaled dataset are scaled; the same bounds are given to the hand-written SQL checks.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

from bench.common import REPO, SYNTHETIC

DATASET = "agri_crop_production"
SECTOR = "agriculture"
RAW_TABLE = "raw.faostat_qcl_vnm"
RAW_KEY = "item"
MART = f"audit.{DATASET}"
MART_KEY = "item_name"


def label(k: str) -> str:
    return f"' [{SYNTHETIC} #' || {k} || ']'"


def real_mart_rows(con) -> int:
    return con.execute(f"SELECT count(*) FROM {MART} WHERE {MART_KEY} NOT LIKE '%[{SYNTHETIC} #%'").fetchone()[0]


def clones_for(target_rows: int, real_rows: int) -> int:
    return max(0, math.ceil(target_rows / real_rows) - 1)


def scale_raw(con, target_mart_rows: int, real_mart: int) -> dict:
    """Add clones of the real raw rows until the mart will hold ≈ ``target_mart_rows`` rows."""
    k = clones_for(target_mart_rows, real_mart)
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema='raw' AND table_name=? ORDER BY ordinal_position",
        [RAW_TABLE.split(".")[1]],
    ).fetchall()]
    select = ", ".join(f'"{c}" || {label("k.i")}' if c == RAW_KEY else f'"{c}"' for c in cols)
    # Only the rows the crop mart reads: live-animal stock rows feed agri_livestock_stocks, whose
    # size (and suite) must stay real.
    con.execute(
        f"CREATE TEMP TABLE _real_raw AS SELECT * FROM {RAW_TABLE} "
        f"WHERE \"{RAW_KEY}\" NOT LIKE '%[{SYNTHETIC} #%' AND coalesce(element, '') <> 'Stocks'"
    )
    real_raw = con.execute("SELECT count(*) FROM _real_raw").fetchone()[0]
    if k:
        con.execute(f"INSERT INTO {RAW_TABLE} SELECT {select} FROM range(1, {k + 1}) k(i), _real_raw")
    con.execute("DROP TABLE _real_raw")
    return {"clones": k, "raw_rows": real_raw * (k + 1), "expected_mart_rows": real_mart * (k + 1), "real_raw_rows": real_raw}


def scale_mart(con, target_rows: int, schema: str = "audit", table: str = DATASET) -> dict:
    """Rewrite ``schema.table`` as its real rows plus synthetic clones, exactly ``target_rows`` rows."""
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema=? AND table_name=? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()]
    con.execute(f"CREATE TEMP TABLE _real AS SELECT * FROM {schema}.{table} WHERE {MART_KEY} NOT LIKE '%[{SYNTHETIC} #%'")
    real = con.execute("SELECT count(*) FROM _real").fetchone()[0]
    k = clones_for(target_rows, real)
    select = ", ".join(f'"{c}" || {label("k.i")}' if c == MART_KEY else f'"{c}"' for c in cols)
    con.execute(
        f"CREATE OR REPLACE TABLE {schema}.{table} AS (SELECT * FROM _real LIMIT {target_rows}) UNION ALL "
        f"(SELECT {select} FROM range(1, {k + 1}) k(i), _real LIMIT {max(0, target_rows - real)})"
    )
    con.execute("DROP TABLE _real")
    return {"real_rows": min(real, target_rows), "rows": con.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]}


def add_year(con) -> dict:
    """Append one synthetic year to the raw table: the last year's rows as ``max(year)+1``."""
    last = con.execute(f"SELECT max(try_cast(year AS INTEGER)) FROM {RAW_TABLE}").fetchone()[0]
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema='raw' AND table_name=? ORDER BY ordinal_position",
        [RAW_TABLE.split(".")[1]],
    ).fetchall()]
    select = ", ".join(f"'{last + 1}'" if c == "year" else f'"{c}"' for c in cols)
    before = con.execute(f"SELECT count(*) FROM {RAW_TABLE}").fetchone()[0]
    con.execute(f"INSERT INTO {RAW_TABLE} SELECT {select} FROM {RAW_TABLE} WHERE try_cast(year AS INTEGER) = {last}")
    after = con.execute(f"SELECT count(*) FROM {RAW_TABLE}").fetchone()[0]
    return {"new_year": last + 1, "raw_rows_added": after - before, "raw_rows": after}


def row_bounds(rows: int) -> tuple[int, int]:
    """The scaled stand-in for the suite's row-count bounds: ±50 % around the scaled size."""
    return (int(rows * 0.5), int(rows * 1.5) + 1)


def scaled_suites(target: Path, rows: int, dataset: str = DATASET) -> Path:
    """A copy of expectations/ where only ``dataset``'s row-count bounds are scaled to ``rows``."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "expectations", target)
    path = target / f"{dataset}.json"
    suite = json.loads(path.read_text())
    lo, hi = row_bounds(rows)
    for e in suite["expectations"]:
        if e["type"] == "expect_table_row_count_to_be_between":
            e["kwargs"]["min_value"], e["kwargs"]["max_value"] = lo, hi
            e.setdefault("meta", {})["bench"] = f"bounds scaled for {rows} rows incl. {SYNTHETIC} rows"
    path.write_text(json.dumps(suite, indent=2))
    return target

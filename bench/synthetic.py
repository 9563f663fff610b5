"""Clearly labelled SYNTHETIC rows for scaling one published dataset (agri_crop_production).

Real rows are never changed. Synthetic rows are clones of the real rows whose item name carries
the label ``[SYNTHETIC #k]`` (so the primary key (item_name, year) stays unique and every
other value keeps the real distribution, i.e. the suite still passes), created either

* at the **raw** level (``raw.faostat_qcl_vnm``: every real raw row except live-animal stocks,
  which feed another dataset, cloned with ``item`` = ``<item> [SYNTHETIC #k]``), so dbt's staging
  and mart models do the real work on them; each clone yields one clone of every real mart row; or
* at the **mart** level (``audit.agri_crop_production`` directly), for the gate benchmark.

``add_year`` appends one more (synthetic) year: the last real year's rows re-labelled as the
next year, for the incremental-growth benchmark. ``revise`` and ``add_period`` make a realistic
next release (≈1 % of rows revised by +5 %, one more period) of a table; ``revise_raw`` does so
for the SYNTHETIC rows of the raw table only (the scaled measurement of bench/overhead.py).

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
    cols = _columns(con, RAW_TABLE)
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
    cols = _columns(con, f"{schema}.{table}")
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


# A realistic revision: a deterministic ≈1 % of the rows (by a hash of their key) revised by +5 %.
REVISED_ONE_IN = 100
REVISION_FACTOR = 1.05
SYNTHETIC_RAW = f"\"{RAW_KEY}\" LIKE '%[{SYNTHETIC} #%'"


def _columns(con, table: str) -> list[str]:
    schema, name = table.split(".")
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema=? AND table_name=? ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()]


def revise(con, table: str, column: str, keys: list[str], *, where: str = "TRUE", text: bool = False) -> None:
    """Multiply ``column`` by REVISION_FACTOR in ≈1/REVISED_ONE_IN of the rows; ``text``: the
    column holds numbers as text (raw tables)."""
    value = f'try_cast("{column}" AS DOUBLE)' if text else f'"{column}"'
    new = f"CAST({value} * {REVISION_FACTOR} AS VARCHAR)" if text else f"{value} * {REVISION_FACTOR}"
    con.execute(f'UPDATE {table} SET "{column}" = {new} WHERE {value} IS NOT NULL '
                f"AND hash({', '.join(keys)}) % {REVISED_ONE_IN} = 0 AND ({where})")


def add_period(con, table: str, period: str = "year", *, where: str = "TRUE", text: bool = False) -> dict:
    """Append one more period: the last period's rows (those matching ``where``) as ``last + 1``."""
    value = f'try_cast("{period}" AS INTEGER)' if text else f'"{period}"'
    last = con.execute(f"SELECT max({value}) FROM {table}").fetchone()[0]
    select = ", ".join((f"'{last + 1}'" if text else f"{last + 1}") if c == period else f'"{c}"' for c in _columns(con, table))
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    con.execute(f"INSERT INTO {table} SELECT {select} FROM {table} WHERE {value} = {last} AND ({where})")
    after = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {"new_period": last + 1, "rows_added": after - before, "rows": after}


def add_year(con) -> dict:
    """Append one synthetic year to the raw table: the last year's rows as ``max(year)+1``."""
    p = add_period(con, RAW_TABLE, "year", text=True)
    return {"new_year": p["new_period"], "raw_rows_added": p["rows_added"], "raw_rows": p["rows"]}


def revise_raw(con) -> dict:
    """The next release of the scaled raw table, touching only SYNTHETIC rows: ≈1 % of their
    production values revised and one more year of them, so dbt rebuilds a candidate that a
    served version's diff sees as revised rows plus a new period."""
    revise(con, RAW_TABLE, "value", [RAW_KEY, "year"], where=f"element = 'Production' AND {SYNTHETIC_RAW}", text=True)
    p = add_period(con, RAW_TABLE, "year", where=SYNTHETIC_RAW, text=True)
    return {"new_period": p["new_period"], "raw_rows_added": p["rows_added"], "raw_rows": p["rows"]}


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

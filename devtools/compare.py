"""Row-for-row comparison of the curated datasets of two warehouses (test and bench harness).

:func:`compare_curated` compares a DuckDB and a PostgreSQL warehouse; :func:`compare_curated_duckdb`
two DuckDB files (the scale-out test's reference and candidate).

    differences = compare_curated("var/warehouse.duckdb", "postgresql://postgres@127.0.0.1/sd", None)
    assert not differences, "\n".join(differences)

For each dataset, ``curated.<dataset>`` (the served version) is read from both warehouses; the
column names must be equal and in the same order, and the rows equal as multisets: both sides are
sorted (floats rounded to 9 significant digits for the sort only) and compared pairwise, floats
with a small relative and absolute tolerance (sums and averages may add up in another order),
DECIMAL against numeric exactly, everything else exactly. An empty list means they match.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REL_TOL = 1e-9
ABS_TOL = 1e-9
MAX_EXAMPLES = 3


def _sort_key(value: Any) -> tuple:
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float, decimal.Decimal)):
        number = float(value)
        if math.isnan(number):
            return (2, math.inf, 1)
        return (2, float(f"{number:.9g}"), 0)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return (3, value.isoformat())
    return (4, str(value))


def _equal(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float, decimal.Decimal)) and isinstance(b, (int, float, decimal.Decimal)):
        if isinstance(a, float) or isinstance(b, float):
            fa, fb = float(a), float(b)
            if math.isnan(fa) or math.isnan(fb):
                return math.isnan(fa) and math.isnan(fb)
            return math.isclose(fa, fb, rel_tol=rel_tol, abs_tol=abs_tol)
        return decimal.Decimal(a) == decimal.Decimal(b)
    return a == b


def compare_rows(
    name: str, left: Sequence[Sequence[Any]], right: Sequence[Sequence[Any]], columns: Sequence[str],
    *, rel_tol: float = REL_TOL, abs_tol: float = ABS_TOL, labels: tuple[str, str] = ("duckdb", "postgres"),
) -> list[str]:
    """Differences between two row sets with the same columns (empty if equal as multisets)."""
    if len(left) != len(right):
        return [f"{name}: {len(left)} rows in {labels[0]}, {len(right)} in {labels[1]}"]
    lsorted = sorted(left, key=lambda r: tuple(_sort_key(v) for v in r))
    rsorted = sorted(right, key=lambda r: tuple(_sort_key(v) for v in r))
    bad: list[str] = []
    count = 0
    for lrow, rrow in zip(lsorted, rsorted, strict=True):
        diffs = [
            f"{col}: {lv!r} vs {rv!r}"
            for col, lv, rv in zip(columns, lrow, rrow, strict=True)
            if not _equal(lv, rv, rel_tol, abs_tol)
        ]
        if diffs:
            count += 1
            if len(bad) < MAX_EXAMPLES:
                bad.append("; ".join(diffs))
    if count:
        return [f"{name}: {count} of {len(left)} sorted rows differ ({labels[0]} vs {labels[1]}), e.g. " + " | ".join(bad)]
    return []


def compare_curated(
    duckdb_path: str | Path,
    pg_dsn: str,
    datasets: Iterable[str] | None = None,
    *,
    rel_tol: float = REL_TOL,
    abs_tol: float = ABS_TOL,
) -> list[str]:
    """Differences between ``curated.<dataset>`` in the DuckDB file and in the PostgreSQL database.

    ``datasets`` None means every ``curated.<dataset>`` view of the DuckDB warehouse. Returns one
    human-readable line per difference (missing dataset, columns, row count, differing rows).
    """
    import duckdb

    from sector_datasets.warehouse.pg_connection import PgConnection

    out: list[str] = []
    dcon = duckdb.connect(str(duckdb_path), read_only=True)
    pcon = PgConnection(pg_dsn, read_only=True, application_name="sector_datasets compare")
    try:
        if datasets is None:
            datasets = [
                r[0]
                for r in dcon.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'curated' "
                    "AND table_type = 'VIEW' ORDER BY table_name"
                ).fetchall()
            ]
        for dataset in datasets:
            relation = f'curated."{dataset}"'
            try:
                dcur = dcon.execute(f"SELECT * FROM {relation}")
                dcols = [d[0] for d in dcur.description]
                drows = dcur.fetchall()
            except duckdb.Error as exc:
                out.append(f"{dataset}: not readable in DuckDB: {str(exc).splitlines()[0]}")
                continue
            try:
                pcur = pcon.execute(f"SELECT * FROM {relation}")
                pcols = [d[0] for d in pcur.description]
                prows = pcur.fetchall()
            except Exception as exc:  # psycopg2.Error; the read-only session stays usable after
                pcon.raw.rollback()
                out.append(f"{dataset}: not readable in PostgreSQL: {str(exc).splitlines()[0]}")
                continue
            if dcols != pcols:
                out.append(f"{dataset}: columns differ: duckdb {dcols} vs postgres {pcols}")
                continue
            out.extend(compare_rows(dataset, drows, prows, dcols, rel_tol=rel_tol, abs_tol=abs_tol))
    finally:
        dcon.close()
        pcon.close()
    return out


def compare_curated_duckdb(reference: Path, candidate: Path, dataset_ids: Iterable[str]) -> dict[str, str]:
    """Dataset id -> difference, for every ``curated.<dataset>`` that is not equal row for row.

    Multiset equality (``EXCEPT ALL`` both ways, so duplicates count) over the served views of two
    DuckDB warehouses, both opened read-only. An empty result means identical.
    """
    import duckdb

    diffs: dict[str, str] = {}
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{reference}' AS ref (READ_ONLY)")
        con.execute(f"ATTACH '{candidate}' AS cand (READ_ONLY)")
        for ds in dataset_ids:
            try:
                ref_cols = [r[0] for r in con.execute(f'DESCRIBE ref.curated."{ds}"').fetchall()]
                cand_cols = [r[0] for r in con.execute(f'DESCRIBE cand.curated."{ds}"').fetchall()]
            except duckdb.Error as exc:
                diffs[ds] = f"missing: {exc}".splitlines()[0]
                continue
            if ref_cols != cand_cols:
                diffs[ds] = f"columns differ: {ref_cols} vs {cand_cols}"
                continue
            n_ref, n_cand = (con.execute(f'SELECT count(*) FROM {db}.curated."{ds}"').fetchone()[0] for db in ("ref", "cand"))
            only_ref = con.execute(f'SELECT count(*) FROM (SELECT * FROM ref.curated."{ds}" EXCEPT ALL SELECT * FROM cand.curated."{ds}")').fetchone()[0]
            only_cand = con.execute(f'SELECT count(*) FROM (SELECT * FROM cand.curated."{ds}" EXCEPT ALL SELECT * FROM ref.curated."{ds}")').fetchone()[0]
            if n_ref != n_cand or only_ref or only_cand:
                diffs[ds] = f"rows {n_ref} vs {n_cand}; {only_ref} only in the reference, {only_cand} only in the candidate"
    finally:
        con.close()
    return diffs

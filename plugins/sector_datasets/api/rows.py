"""Answering a :class:`~.query.RowQuery` from one version's Parquet file, as JSON, CSV or Parquet."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from sector_datasets.api.query import QueryError, RowQuery, count_sql, page_sql
from sector_datasets.csv_text import csv_field, plain_number
from sector_datasets.warehouse.duckdb_lock import quote_literal

FORMATS = {"json": "application/json", "csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}

_local = threading.local()
_root: duckdb.DuckDBPyConnection | None = None
_root_lock = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process, a cursor per thread (FastAPI runs sync routes in a pool)."""
    global _root
    cursor = getattr(_local, "cursor", None)
    if cursor is None:
        with _root_lock:
            if _root is None:
                _root = duckdb.connect(config={"threads": 2})
            cursor = _local.cursor = _root.cursor()
    return cursor


def _relation(parquet: Path) -> str:
    # The path comes from the exports layout, never from a request; quoted as a literal all the same.
    return f"read_parquet({quote_literal(str(parquet))})"


@dataclass(frozen=True)
class Page:
    columns: list[str]
    rows: list[tuple]
    total: int


def fetch(parquet: Path, query: RowQuery) -> Page:
    cursor = _cursor()
    relation = _relation(parquet)
    sql, params = page_sql(query, relation)
    total_sql, total_params = count_sql(query, relation)
    try:
        rows = cursor.execute(sql, params).fetchall()
        total = cursor.execute(total_sql, total_params).fetchall()[0][0]  # fetched to the end: the cursor is reused
    except duckdb.ConversionException as exc:  # a value _typed let through but the column refuses
        raise QueryError(f"a filter value does not fit its column: {exc}") from None
    return Page(list(query.columns), rows, int(total))


def fetch_arrow(parquet: Path, query: RowQuery) -> Any:
    sql, params = page_sql(query, _relation(parquet))
    try:
        return _cursor().sql(sql, params=params).to_arrow_table()
    except duckdb.ConversionException as exc:
        raise QueryError(f"a filter value does not fit its column: {exc}") from None


def json_value(value: Any) -> Any:
    """JSON has no decimals or dates: numbers as numbers, dates as ISO 8601 text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def records(page: Page) -> list[dict[str, Any]]:
    return [{c: json_value(v) for c, v in zip(page.columns, row, strict=True)} for row in page.rows]


def _csv_value(value: Any) -> str:
    """As the exports spell it (:mod:`sector_datasets.csv_text`): floats and decimals plain."""
    if value is None:
        return ""
    if isinstance(value, float):
        return plain_number(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_field(str(json_value(value)))


def csv_text(page: Page) -> str:
    lines = [",".join(csv_field(c) for c in page.columns)]
    lines += [",".join(_csv_value(v) for v in row) for row in page.rows]
    return "\n".join(lines) + "\n"


def parquet_bytes(table: Any) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()

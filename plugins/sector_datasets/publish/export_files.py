"""The files of a published version, each written from one DuckDB relation so that every warehouse
gives byte-for-byte the same exports (PostgreSQL hands its table to a local DuckDB first:
:meth:`~sector_datasets.warehouse.base.Dialect.as_duckdb`).

What each file promises its readers:

* **Parquet** (zstd): the warehouse's columns and types, except that a ``DECIMAL`` column is
  written as ``DOUBLE`` when every value survives the round trip at its declared scale (checked
  on the data, in SQL): pandas then gets floats, not ``decimal.Decimal`` objects. A column that
  would not survive keeps its ``DECIMAL`` type (and the log says so).
* **CSV**: UTF-8 *with* a byte-order mark, so Excel on Windows reads Vietnamese correctly when the
  file is double-clicked (pandas, DuckDB, R and Frictionless skip the mark); header row, ``,``,
  ``"`` quoting only where needed, an empty field is NULL and ``""`` an empty text; numbers are
  plain decimals, never scientific notation (``0.00001``, not ``1e-05``: spreadsheets and some
  parsers read the latter as text). Codes stay as the warehouse spells them (``"01"``).
* **XLSX**: sheet ``data`` (header row; text columns as text cells, so codes keep their leading
  zeros; numbers, dates and booleans as such) and sheet ``dictionary`` (column, type, unit,
  description vi/en from the dataset's contract, as ``metadata.json`` records it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sector_datasets.csv_text import csv_field, plain_number  # noqa: F401 - plain_number: part of this module's API (tests)
from sector_datasets.warehouse.duckdb_lock import quote_ident

log = logging.getLogger(__name__)

UTF8_BOM = "\ufeff"
_BATCH = 20_000
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")
#: Excel's limit, header row included.
XLSX_MAX_ROWS = 1_048_576
DATA_SHEET, DICTIONARY_SHEET = "data", "dictionary"


def duckdb_columns(con: Any, relation: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) of every column of ``relation``, in order."""
    return [(row[0], row[1]) for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]


def exact_as_double(con: Any, relation: str, column: str, dtype: str) -> bool:
    """Whether every value of the DECIMAL ``column`` reads back unchanged from a DOUBLE."""
    col = quote_ident(column)
    changed = con.execute(
        f"SELECT count(*) FROM {relation} WHERE CAST(CAST({col} AS DOUBLE) AS {dtype}) IS DISTINCT FROM {col}"
    ).fetchone()[0]
    return changed == 0


def write_parquet(con: Any, relation: str, path: Path, where: str) -> None:
    """Parquet (zstd); DECIMAL columns as DOUBLE where that is exact (module docstring)."""
    select = []
    for name, dtype in duckdb_columns(con, relation):
        col = quote_ident(name)
        if _DECIMAL.match(dtype):
            if exact_as_double(con, relation, name, dtype):
                select.append(f"CAST({col} AS DOUBLE) AS {col}")
                continue
            log.warning("%s: column %r (%s) does not round-trip through DOUBLE; kept as DECIMAL in Parquet", where, name, dtype)
        select.append(col)
    con.execute(f"COPY (SELECT {', '.join(select)} FROM {relation}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")


def _rows(con: Any, sql: str) -> Iterator[tuple]:
    cursor = con.execute(sql)
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def write_csv(con: Any, relation: str, path: Path) -> None:
    """UTF-8 with BOM, header, plain decimals (module docstring). DuckDB spells every non-float
    value (dates, timestamps, DECIMAL, booleans as ``true``/``false``); floats are spelled here
    because DuckDB's shortest form may have an exponent."""
    columns = duckdb_columns(con, relation)
    floats = [dtype.upper() in _FLOAT_TYPES for _, dtype in columns]
    select = ", ".join(quote_ident(n) if f else f"CAST({quote_ident(n)} AS VARCHAR)" for (n, _), f in zip(columns, floats))
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(UTF8_BOM + ",".join(csv_field(name) for name, _ in columns) + "\n")
        for row in _rows(con, f"SELECT {select} FROM {relation}"):
            out.write(
                ",".join(
                    "" if v is None else plain_number(v) if f else csv_field(v) for v, f in zip(row, floats)
                )
                + "\n"
            )


def write_xlsx(con: Any, relation: str, path: Path, dictionary: list[dict], where: str) -> bool:
    """The data and its dictionary as an Excel workbook (module docstring); False, with a log line,
    when the table has more rows than a sheet can hold."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
    if rows + 1 > XLSX_MAX_ROWS:
        log.warning("%s: %d rows do not fit in an Excel sheet; no XLSX for this version", where, rows)
        return False
    columns = duckdb_columns(con, relation)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(DATA_SHEET)
    sheet.freeze_panes = "A2"
    sheet.append([name for name, _ in columns])

    def text_cell(value: str) -> Any:
        # A text starting with '=' would become a formula; control characters are not allowed in XLSX.
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell

    for row in _rows(con, f"SELECT * FROM {relation}"):
        sheet.append([text_cell(v) if isinstance(v, str) else float(v) if isinstance(v, Decimal) else v for v in row])
    notes = book.create_sheet(DICTIONARY_SHEET)
    notes.append(["column", "type", "unit", "mô tả (vi)", "description (en)"])
    for entry in dictionary:
        notes.append([text_cell(str(entry.get(key) or "")) for key in ("name", "type", "unit", "description_vi", "description")])
    book.save(path)
    return True

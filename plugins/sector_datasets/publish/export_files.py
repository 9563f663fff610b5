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

  DuckDB's own ``COPY … (FORMAT csv)`` writes it (10^7 SYNTHETIC rows × 6 columns, two runs on
  the shared 2-core machine: 6.3–7.3 s CPU instead of 32–35 s for the row-by-row Python writer
  it replaced), byte for byte what that writer wrote, i.e. what :mod:`sector_datasets.csv_text`
  spells (tests/test_export_files.py compares the two):

  - every value reaches COPY as text, ``CAST(… AS VARCHAR)``, so COPY adds no spelling of its own;
  - COPY quotes a field exactly when ``csv_field`` does (it holds ``,`` ``"`` ``\\n`` ``\\r``, or
    is the NULL string ``''``) once its comment character is switched off (it quotes a ``#``);
  - the BOM and the header (``csv_field`` of each name) are COPY's ``PREFIX``; with a prefix COPY
    writes its line ends *between* lines, so the ``SUFFIX`` ``\\n`` ends the last one, and the
    file of an empty relation is cut back to the prefix;
  - a float's ``CAST(… AS VARCHAR)`` is the shortest round-trip text, which was Python's ``repr``
    for every double tried (8.3 million: random bit patterns, every power of ten and its
    neighbours, both sides of the 1e-05 and 1e+16 exponent thresholds) except a NaN with its sign
    bit set (``-nan``, Python ``nan``); SQL rewrites that one and the exponent form to what
    ``plain_number`` makes of ``repr``. A FLOAT is widened to DOUBLE first, as Python widened it.
* **XLSX**: sheet ``data`` (header row; text columns as text cells, so codes keep their leading
  zeros; numbers, dates and booleans as such) and sheet ``dictionary`` (column, type, unit,
  description vi/en from the dataset's contract, as ``metadata.json`` records it).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sector_datasets.csv_text import csv_field
from sector_datasets.warehouse.duckdb_lock import quote_ident, quote_literal

log = logging.getLogger(__name__)

UTF8_BOM = "\ufeff"
#: COPY's CSV dialect for the exports (module docstring): ``''`` as NULL, no comment character
#: (COPY would quote a field holding ``#``), ``\n`` between lines and as the suffix that ends the
#: last one; the prefix (BOM and header) is added per file.
_CSV_OPTIONS = (
    "FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NULLSTR '', COMMENT '', "
    "NEW_LINE '\n', SUFFIX '\n', COMPRESSION 'none'"
)
_BATCH = 20_000
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")
#: Excel's limit, header row included.
XLSX_MAX_ROWS = 1_048_576
DATA_SHEET, DICTIONARY_SHEET = "data", "dictionary"
_DICTIONARY_KEYS = ("name", "type", "unit", "description_vi", "description")


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
    con.execute(f"COPY (SELECT {', '.join(select)} FROM {relation}) TO {quote_literal(str(path))} (FORMAT parquet, COMPRESSION zstd)")


def _rows(con: Any, sql: str) -> Iterator[tuple]:
    cursor = con.execute(sql)
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def _plain_double_sql(text: str) -> str:
    """SQL turning ``text``, a DOUBLE's ``CAST(… AS VARCHAR)``, into ``plain_number``'s spelling:
    the exponent form (``-1.5e-07``, ``1e+16``) as plain digits, ``-nan`` as ``nan``; any other
    text already is Python's ``repr`` (module docstring). Python's ``repr`` only uses an exponent
    below 1e-04 and from 1e+16, where its at most 17 digits never reach the decimal point."""
    exponent = f"CAST(split_part({text}, 'e', 2) AS INTEGER)"
    digits = f"replace(ltrim(split_part({text}, 'e', 1), '-'), '.', '')"
    sign = f"CASE WHEN starts_with({text}, '-') THEN '-' ELSE '' END"
    plain = (f"CASE WHEN {exponent} < 0 THEN '0.' || repeat('0', -1 - {exponent}) || {digits} "
             f"ELSE {digits} || repeat('0', 1 + {exponent} - length({digits})) END")
    return f"CASE WHEN {text} = '-nan' THEN 'nan' WHEN contains({text}, 'e') THEN ({sign}) || ({plain}) ELSE {text} END"


def write_csv(con: Any, relation: str, path: Path) -> None:
    """UTF-8 with BOM, header, plain decimals, written by DuckDB's COPY (module docstring). DuckDB
    spells every value (dates, timestamps, DECIMAL, booleans as ``true``/``false``); a float's
    exponent form is rewritten to plain digits in SQL."""
    columns = duckdb_columns(con, relation)
    texts, fields = [], []
    for name, dtype in columns:
        col = quote_ident(name)
        if dtype.upper() in _FLOAT_TYPES:
            texts.append(f"CAST(CAST({col} AS DOUBLE) AS VARCHAR) AS {col}")
            fields.append(f"{_plain_double_sql(col)} AS {col}")
        else:
            texts.append(f"CAST({col} AS VARCHAR) AS {col}")
            fields.append(col)
    header = UTF8_BOM + ",".join(csv_field(name) for name, _ in columns) + "\n"
    (rows,) = con.execute(
        f"COPY (SELECT {', '.join(fields)} FROM (SELECT {', '.join(texts)} FROM {relation})) "
        f"TO {quote_literal(str(path))} ({_CSV_OPTIONS}, PREFIX {quote_literal(header)})"
    ).fetchone()
    if rows == 0:
        # No line for the suffix to end: an empty relation's file is its header alone.
        os.truncate(path, len(header.encode("utf-8")))


#: Characters XML 1.0 cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``, which wrote these files before).
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
#: The number formats openpyxl gave dates and times, so readers see the same cells as before.
_XLSX_TIME_FORMATS = {datetime: "yyyy-mm-dd h:mm:ss", date: "yyyy-mm-dd", time: "h:mm:ss", timedelta: "[hh]:mm:ss"}


def xlsx_text(value: str) -> str:
    """A text cell's content: without the characters XML cannot hold, and with a carriage return
    as a line feed, which is what any reader got from the files openpyxl wrote (XML parsers fold
    ``\\r``); XlsxWriter would escape it as ``_x000D_``, which only Excel decodes."""
    return _XLSX_ILLEGAL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")


def write_xlsx(con: Any, relation: str, path: Path, dictionary: list[dict], where: str) -> bool:
    """The data and its dictionary as an Excel workbook (module docstring); False, with a log line,
    when the table has more rows than a sheet can hold.

    XlsxWriter in ``constant_memory`` mode (rows streamed to disk, inline strings, as openpyxl's
    write-only mode wrote them): ≈2.5× less CPU than openpyxl (9,733 rows × 14 columns: 0.62 s
    instead of 1.55 s), the same cells. Cells are written by type, never through ``write()``, so a
    text starting with ``=`` stays text."""
    import xlsxwriter

    rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
    if rows + 1 > XLSX_MAX_ROWS:
        log.warning("%s: %d rows do not fit in an Excel sheet; no XLSX for this version", where, rows)
        return False
    columns = duckdb_columns(con, relation)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        _fill_workbook(con, relation, book, columns, dictionary, where)
    except BaseException:
        # close() removes the rows XlsxWriter streamed to temporary files; the half-written
        # workbook is in the publish's hidden folder, which is discarded. The first error stands.
        with contextlib.suppress(Exception):
            book.close()
        raise
    book.close()
    return True


def _fill_workbook(con: Any, relation: str, book: Any, columns: list[tuple[str, str]], dictionary: list[dict],
                   where: str) -> None:
    """The sheet ``data`` (header row frozen, one typed cell per value) and the sheet ``dictionary``."""
    sheet = book.add_worksheet(DATA_SHEET)
    sheet.freeze_panes(1, 0)
    formats = {kind: book.add_format({"num_format": spec}) for kind, spec in _XLSX_TIME_FORMATS.items()}
    write = _cell_writers(sheet, formats, where, [name for name, _ in columns])
    for c, (name, _) in enumerate(columns):
        sheet.write_string(0, c, name)
    for r, row in enumerate(_rows(con, f"SELECT * FROM {relation}"), start=1):
        for c, value in enumerate(row):
            if value is not None:
                write.get(type(value), write[None])(r, c, value)
    notes = book.add_worksheet(DICTIONARY_SHEET)
    for c, title in enumerate(("column", "type", "unit", "mô tả (vi)", "description (en)")):
        notes.write_string(0, c, title)
    note = _cell_writers(notes, formats, where, list(_DICTIONARY_KEYS))[str]
    for r, entry in enumerate(dictionary, start=1):
        for c, key in enumerate(_DICTIONARY_KEYS):
            note(r, c, str(entry.get(key) or ""))


def _cell_writers(sheet: Any, formats: dict[type, Any], where: str, names: list[str]) -> dict[Any, Any]:
    """Python type of a value → the function that writes it as a typed cell (key None: any other type)."""

    def text(r: int, c: int, value: str) -> None:
        value = xlsx_text(value)
        # An empty text is an empty cell, as openpyxl wrote it (no empty inline string).
        if value and sheet.write_string(r, c, value) == -2:
            log.warning("%s: column %r row %d: text cut to Excel's 32,767 characters in the XLSX", where, names[c], r)

    def number(r: int, c: int, value: Any) -> None:
        value = float(value) if isinstance(value, Decimal) else value
        if math.isfinite(value):  # NaN and ±inf stay empty cells, as openpyxl left them
            sheet.write_number(r, c, value)

    def other(r: int, c: int, value: Any) -> None:
        for kind in (bool, str, int, float, Decimal, datetime, date, time, timedelta):  # subclasses
            if isinstance(value, kind):
                return writers[kind](r, c, value)
        raise ValueError(f"{where}: column {names[c]!r} row {r}: cannot write {type(value).__name__} {value!r} to XLSX")

    writers: dict[Any, Any] = {str: text, bool: sheet.write_boolean, int: number, float: number, Decimal: number, None: other}
    for kind, fmt in formats.items():
        writers[kind] = lambda r, c, value, fmt=fmt: sheet.write_datetime(r, c, value, fmt)
    return writers

"""Landed payloads → ``raw.<source_id>`` tables, every value kept as text.

Raw tables are faithful to the payload: no typing, no filtering beyond dropping lines that are
completely empty. Typing, renaming, units and clean-up belong to dbt staging, where they are
reviewable SQL. Column names are normalised once, here, to ASCII snake_case so that staging
models never need quoted identifiers (``"Raw Conc."`` → ``raw_conc``, ``Mã số`` → ``ma_so``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb

from sector_datasets.load import source_contract
from sector_datasets.load.errors import LoadError
from sector_datasets.warehouse import dialect_of
from sector_datasets.records import JsonRecord
from sector_datasets.registry import Release, Source

MAX_IDENT = 63  # PostgreSQL truncates identifiers silently beyond this; keep both warehouses equal
META_COLUMNS = ("_source_id", "_landing_run", "_source_file", "_row_number", "_loaded_at")
__all__ = ["LoadError", "LoadResult", "load_source", "normalise_column", "parse_landing", "unique_columns"]


@dataclass(frozen=True)
class LoadResult(JsonRecord):
    source_id: str
    table: str
    rows: int
    columns: list[str]
    skipped_blank_rows: int
    landing_sha256: str


def normalise_column(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "column"
    if text[0].isdigit():
        text = f"c_{text}"
    if len(text) > MAX_IDENT:
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]
        text = f"{text[: MAX_IDENT - 9]}_{digest}"
    return text


def unique_columns(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        base, candidate, n = normalise_column(name), normalise_column(name), 1
        while candidate in out:
            n += 1
            candidate = f"{base}_{n}"
        out.append(candidate)
    return out


def _flatten(record: dict, prefix: str = "") -> dict[str, str | None]:
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}__"))
        elif value is None:
            flat[name] = None
        elif isinstance(value, (list, bool)):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            # json.dumps keeps the wire text of numbers (39.2147376279795, 14 vs 14.0).
            flat[name] = value if isinstance(value, str) else json.dumps(value)
    return flat


def _records_to_rows(records: list[dict]) -> tuple[list[str], list[list[str | None]]]:
    flat = [_flatten(r) for r in records]
    header: list[str] = []
    for row in flat:
        header.extend(k for k in row if k not in header)
    return header, [[row.get(k) for k in header] for row in flat]


def _read_worldbank(path: Path) -> list[dict]:
    payload = json.loads(path.read_bytes())
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], list)):
        raise LoadError(f"{path}: not a World Bank [meta, records] payload")
    return payload[1]


def _read_json(path: Path, record_path: str | None) -> list[dict]:
    payload = json.loads(path.read_bytes().decode("utf-8-sig"))
    for key in (record_path.split(".") if record_path else []):
        if isinstance(payload, list):
            # e.g. a re-serialised World Bank cache: [meta, {"value": [...], "Count": n}]
            payload = next((item for item in payload if isinstance(item, dict) and key in item), {})
        if not isinstance(payload, dict) or key not in payload:
            raise LoadError(f"{path}: no key {key!r} on the record path {record_path!r}")
        payload = payload[key]
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise LoadError(f"{path}: expected a list of JSON objects at {record_path or 'top level'}")
    return payload


def _read_csv(path: Path, source: Source) -> tuple[list[str], Iterator[list[str]]]:
    opts = source.csv
    try:
        text = path.read_bytes().decode(opts.encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{path}: source {source.id!r} is declared as {opts.encoding} but byte {exc.start} "
            f"({exc.object[exc.start:exc.start + 1]!r}) is not valid {opts.encoding}"
        ) from None
    lines = io.StringIO(text)
    for _ in range(opts.skip_rows):
        lines.readline()
    reader = csv.reader(lines, delimiter=opts.delimiter)
    header = list(opts.columns) if not opts.header else [h.strip() for h in next(reader, [])]
    if not header:
        raise LoadError(f"{path}: source {source.id!r}: no header line")
    return header, reader


def _read_xlsx(path: Path, source: Source, release: Release | None = None) -> tuple[list[str], Iterator[list]]:
    sheet, grid = _sheet_values(path, source, release)
    if release is None or release.cells is None:
        rows = iter(grid)
        header = [(_cell(h) or "").strip() for h in next(rows, ())]
        return header, rows
    min_col, min_row, max_col, max_row = _cell_bounds(release.cells)
    if release.title_contains:
        above = grid[: max(min_row - 1, 1)]
        title = " ".join(" ".join(str(_cell(v)).split()) for row in above for v in row if v is not None)
        if _folded(release.title_contains) not in _folded(title):
            raise LoadError(
                f"{path}: source {source.id!r}, release {release.key!r}: sheet {sheet!r} does not carry "
                f"the title {release.title_contains!r} above {release.cells} (found {title[:160]!r}); "
                "the table moved or the sheet holds another table"
            )
    width = max_col - min_col + 1
    rows = _block(grid, min_row, max_row, min_col, max_col)
    header_cells = [list(next(rows, ())) + [None] * width for _ in range(release.header_rows)]
    if release.columns is not None:
        if len(release.columns) != width:
            raise LoadError(
                f"{path}: source {source.id!r}, release {release.key!r}: {len(release.columns)} column names "
                f"declared for {release.cells}, which is {width} columns wide"
            )
        header = list(release.columns)
    else:
        # A header over several rows (merged cells read as empty): join each column's texts.
        header = [
            " ".join(" ".join(str(_cell(row[i])).split()) for row in header_cells if row[i] not in (None, "")) or f"column_{i + 1}"
            for i in range(width)
        ]
    return header, rows


def _block(grid: list[list], min_row: int, max_row: int, min_col: int, max_col: int) -> Iterator[list]:
    for row in range(min_row, max_row + 1):
        # Cells past the sheet's last value are empty: the declared range is padded with None.
        cells = grid[row - 1][min_col - 1 : max_col] if 1 <= row <= len(grid) else []
        yield cells + [None] * (max_col - min_col + 1 - len(cells))


def _sheet_values(path: Path, source: Source, release: Release | None) -> tuple[str, list[list]]:
    """The name and values of the release's sheet (else the first worksheet), from cell A1 to the
    sheet's last value, None where a cell is empty.

    calamine, not openpyxl: openpyxl reads the size of every sheet, the whole stylesheet and every
    external link of a workbook before one cell (half a second for a GSO monthly workbook, read once
    per source and release); calamine reads the sheet in milliseconds. Once rendered by ``_cell``
    the values are openpyxl's (tests/load/test_xlsx_values.py) except in cases that no registered
    workbook has: an error cell (``#N/A``) and a cell holding an empty string read as empty
    (calamine cannot tell them from one), ``_x000D_`` in a text is decoded to a CR, and spaces at
    the ends of a text not marked ``xml:space="preserve"`` (Excel always marks them) are dropped.
    """
    # Only the few xlsx sources need it; keep it off the import path of DAG files.
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        with CalamineWorkbook.from_path(path) as book:
            names = book.sheet_names
            if release is None or release.sheet is None:
                worksheets = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
                if not worksheets:
                    raise LoadError(f"{path}: source {source.id!r}: the workbook has no worksheet")
                name = worksheets[0]
            elif release.sheet in names:
                name = release.sheet
            else:
                raise LoadError(
                    f"{path}: source {source.id!r}, release {release.key!r}: no sheet {release.sheet!r}; the workbook "
                    f"has {', '.join(repr(n) for n in names)} (sheets are renamed between releases: "
                    "declare this release's sheet in the registry)"
                )
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise LoadError(
            f"{path}: source {source.id!r}: not a readable workbook ({type(exc).__name__}: {exc})"
        ) from None
    return name, [[_excel_value(v) for v in row] for row in grid]


def _excel_value(value: object) -> object:
    # calamine reads an empty cell as "" and a whole-day date as a date; openpyxl, whose text the
    # raw tables have always held, gave None and a datetime ("2016-12-29 00:00:00").
    if value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value


def _cell_bounds(cells: str) -> tuple[int, int, int, int]:
    """``"B4:H60"`` → (min_col, min_row, max_col, max_row), 1-based."""
    bounds: list[int] = []
    for corner in cells.split(":"):
        letters = corner.rstrip("0123456789")
        col = 0
        for letter in letters:
            col = col * 26 + ord(letter) - ord("A") + 1
        bounds += [col, int(corner[len(letters):])]
    return bounds[0], bounds[1], bounds[2], bounds[3]


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        # A workbook stores every number as a float; keep "332400" not "332400.0".
        return str(int(value))
    return str(value)


def parse_landing(source: Source, files: list[Path], record_path: str | None = None) -> tuple[list[str], list[list[str | None]], int]:
    """Parse every landed page of one source into (header, rows, blank rows skipped)."""
    if source.format in ("worldbank_json", "json"):
        records: list[dict] = []
        for path in files:
            records.extend(_read_worldbank(path) if source.format == "worldbank_json" else _read_json(path, record_path))
        header, rows = _records_to_rows(records)
        return header, rows, 0
    if source.releases:
        return _parse_releases(source, files)
    header: list[str] = []
    rows: list[list[str | None]] = []
    blank = 0
    for path in files:
        page_header, page_rows = _read_xlsx(path, source) if source.format == "xlsx" else _read_csv(path, source)
        if header and page_header != header:
            raise LoadError(f"{path}: source {source.id!r}: header differs from the first page")
        header = page_header
        page, skipped = _table_rows(path, source, header, page_rows)
        rows.extend(page)
        blank += skipped
    return header, rows, blank


def _table_rows(path: Path, source: Source, header: list[str], raw_rows: Iterable) -> tuple[list[list[str | None]], int]:
    rows: list[list[str | None]] = []
    blank = 0
    for raw in raw_rows:
        cells = [_cell(v) for v in raw]
        if all(c is None or c.strip() == "" for c in cells):
            blank += 1
            continue
        if len(cells) != len(header):
            raise LoadError(f"{path}: source {source.id!r}: line with {len(cells)} fields, header has {len(header)}")
        rows.append(cells)
    return rows, blank


def _parse_releases(source: Source, files: list[Path]) -> tuple[list[str], list[list[str | None]], int]:
    """Stack one table per release: columns by (normalised) name, a release without a column gets
    NULL there, and every row carries its release key and the release's constants."""
    if len(files) != len(source.releases):
        raise LoadError(
            f"source {source.id!r}: {len(files)} landed file(s) for {len(source.releases)} declared releases"
        )
    tables: list[tuple[list[str], list[list[str | None]]]] = []
    blank = 0
    for path, release in zip(files, source.releases, strict=True):
        header, raw_rows = _read_xlsx(path, source, release) if source.format == "xlsx" else _read_csv(path, source)
        rows, skipped = _table_rows(path, source, header, raw_rows)
        blank += skipped
        names = unique_columns(header)
        tables.append(
            (["release", *release.constants, *names], [[release.key, *release.constants.values(), *row] for row in rows])
        )
    header_out: list[str] = []
    for names, _ in tables:
        header_out.extend(n for n in names if n not in header_out)
    out: list[list[str | None]] = []
    for names, rows in tables:
        position = {name: i for i, name in enumerate(names)}
        out.extend([row[position[n]] if n in position else None for n in header_out] for row in rows)
    return header_out, out, blank


def load_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    landing_path: Path,
    files: list[str],
    run_id: str,
    landing_sha256: str,
    *,
    sector_id: str = "",
) -> LoadResult:
    """Replace ``raw.<source.id>`` with the rows of one landing, atomically.

    The source's contract (``source.delivers``) is checked on the new table inside the same
    transaction; a violation rolls it back (the table keeps the last good payload) and raises
    :class:`~sector_datasets.load.source_contract.SourceContractError`. ``sector_id`` is the
    sector whose run loads it, named in that error.
    """
    paths = [landing_path / name for name in files]
    header, rows, blank = parse_landing(source, paths, source.record_path)
    if not rows:  # nothing to make a table of; raw keeps the last good payload
        problem = source_contract.describe(sector_id, source.id, source_contract.empty_payload_problem())
        raise source_contract.SourceContractError(sector_id, source.id, [problem])
    columns = unique_columns(header)
    loaded_at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    con.execute("BEGIN")
    try:
        dialect_of(con).replace_raw_table(
            con, "raw", source.raw_table, columns, rows,
            source_id=source.id, run_id=run_id, source_file=",".join(files), loaded_at=loaded_at,
        )
        problems = source_contract.check_source(con, source, sector_id)
        if problems:
            raise source_contract.SourceContractError(sector_id, source.id, problems)
        con.execute(
            """INSERT INTO meta.loads VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP))""",
            [source.id, run_id, landing_sha256, len(rows), loaded_at],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return LoadResult(source.id, f"raw.{source.raw_table}", len(rows), columns, blank, landing_sha256)

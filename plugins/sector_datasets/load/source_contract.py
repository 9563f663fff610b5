"""A source's contract (``Source.delivers``) checked on the just-loaded ``raw.<source id>`` table.

Runs inside :func:`sector_datasets.load.raw.load_source`'s transaction, before dbt: a violation
rolls the load back, so ``raw.<source id>`` keeps the last payload that kept the contract, and the
datasets fed by the source fail their gates with a message naming sector, source and field
(instead of a dbt binder error, or worse, a mart silently built from the wrong indicator).

What is checked:

* every declared field is a column of the raw table (names as the loader normalises them);
* every value of a typed field that is not NULL, blank or one of ``missing_values`` has the
  declared type's shape. Shapes are regular expressions, not the warehouse's casts: DuckDB's
  ``TRY_CAST('22.1' AS BIGINT)`` is 22, which would let a retyped field through;
* the payload is not empty (a source promises data);
* World Bank API payloads answer what was asked: the indicator in the URL path
  ``/v2/country/<C>/indicator/<I>`` is every record's ``indicator_id``, and a single country code
  ``<C>`` is every record's ``countryiso3code`` (``country_id`` for a 2-letter code).

The SQL is the same on DuckDB and PostgreSQL; the one difference (regular expressions) comes from
the connection's :class:`~sector_datasets.warehouse.base.Dialect`.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from sector_datasets.load.errors import LoadError
from sector_datasets.registry import Source
from sector_datasets.warehouse import dialect_of
from sector_datasets.warehouse.duckdb_lock import quote_ident

# The shape every non-missing value of a typed field must have (after trimming spaces).
TYPE_PATTERNS: dict[str, str] = {
    "integer": r"^[+-]?[0-9]+$",
    "double": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$",
    # An ISO 8601 date, optionally with an ISO time part: WHO's daily COVID-19 file mixes
    # "2020-01-03" and "2020-01-24T00:00:00Z" in one column (staging keeps the first 10 characters).
    "date": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$",
}
TYPE_NAMES_VI = {"integer": "số nguyên", "double": "số", "date": "ngày ISO (YYYY-MM-DD)"}
TYPE_NAMES_EN = {"integer": "an integer", "double": "a number", "date": "an ISO date (YYYY-MM-DD)"}
MAX_EXAMPLES = 3
WORLDBANK_PATH = re.compile(r"/v2/country/(?P<country>[^/]+)/indicator/(?P<indicator>[^/?]+)", re.IGNORECASE)
# Not single countries: "all" and lists ("VNM;THA") ask for many.
SINGLE_COUNTRY = re.compile(r"^[A-Za-z]{2,3}$")


class Problem(NamedTuple):
    """One broken promise, in both languages (without the "source X (sector Y)" prefix)."""

    vi: str
    en: str


class SourceContractError(LoadError):
    """A landed payload does not deliver what its source's contract declares; nothing was loaded."""

    def __init__(self, sector_id: str, source_id: str, problems: list[str]) -> None:
        self.sector_id = sector_id
        self.source_id = source_id
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def describe(sector_id: str, source_id: str, problem: Problem) -> str:
    """The bilingual line a person reads: Vietnamese first, then English, each naming sector and source."""
    sector = sector_id or "?"
    return (
        f"Nguồn {source_id} (ngành {sector}): {problem.vi} / "
        f"Source {source_id} (sector {sector}): {problem.en}"
    )


def _listing(values: list[str], limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    return (shown + ", ...") if len(values) > limit else (shown or "-")


def _examples(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def empty_payload_problem() -> Problem:
    return Problem(
        "dữ liệu rỗng: 0 bản ghi (nguồn cam kết có dữ liệu)",
        "empty payload: 0 records (a source promises data)",
    )


def requested_worldbank(url: str) -> tuple[str | None, str | None]:
    """(country, indicator) asked for by a World Bank API v2 URL; country None unless a single code."""
    match = WORLDBANK_PATH.search(unquote(urlsplit(url).path))
    if not match:
        return None, None
    country = match["country"]
    return (country if SINGLE_COUNTRY.match(country) and country.lower() != "all" else None), match["indicator"]


def check_source(con: Any, source: Source, sector_id: str) -> list[str]:
    """Every way ``raw.<source.id>`` breaks ``source.delivers``, as bilingual lines; [] if none."""
    return [describe(sector_id, source.id, p) for p in source_problems(con, source)]


def source_problems(con: Any, source: Source) -> list[Problem]:
    dialect = dialect_of(con)
    relation = f"raw.{quote_ident(source.raw_table)}"
    # The loader's meta columns (_source_id, _row_number, ...) start with "_"; payload columns never
    # do (load.raw.normalise_column strips leading underscores).
    columns = [name for name, _ in dialect.columns_of(con, relation) if not name.startswith("_")]
    rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
    if rows == 0:
        return [empty_payload_problem()]
    problems: list[Problem] = []
    contract = source.delivers
    for field, kind in contract.fields.items():
        if field not in columns:
            problems.append(Problem(
                f"trường '{field}' không có trong dữ liệu (có: {_listing(columns)})",
                f"field '{field}' missing (got: {_listing(columns)})",
            ))
        elif kind in TYPE_PATTERNS:
            problem = _type_problem(con, relation, field, kind, contract.missing_values)
            if problem:
                problems.append(problem)
    if source.format == "worldbank_json":
        problems.extend(_worldbank_identity(con, source, relation, columns))
    return problems


def _type_problem(con: Any, relation: str, field: str, kind: str, missing_values: list[str]) -> Problem | None:
    """Values of ``field`` that are present but not shaped as ``kind``: how many, and a few of them."""
    col = quote_ident(field)
    missing = "".join(", ?" for _ in missing_values)
    bad = (
        f"{col} IS NOT NULL AND trim({col}) NOT IN (''{missing}) "
        f"AND NOT {dialect_of(con).regexp_matches_sql(f'trim({col})')}"
    )
    params = [*missing_values, TYPE_PATTERNS[kind]]
    count = con.execute(f"SELECT count(*) FROM {relation} WHERE {bad}", params).fetchone()[0]
    if not count:
        return None
    examples = [r[0] for r in con.execute(
        f"SELECT {col} FROM {relation} WHERE {bad} GROUP BY {col} ORDER BY min(_row_number) LIMIT {MAX_EXAMPLES}",
        params,
    ).fetchall()]
    return Problem(
        f"trường '{field}' phải là {TYPE_NAMES_VI[kind]}, nhưng {count} giá trị không phải (ví dụ: {_examples(examples)})",
        f"field '{field}' expected {TYPE_NAMES_EN[kind]}, got {count} value(s) that are not (e.g. {_examples(examples)})",
    )


def _worldbank_identity(con: Any, source: Source, relation: str, columns: list[str]) -> list[Problem]:
    """The records are of the indicator (and the single country) the URL asked for."""
    country, indicator = requested_worldbank(source.url)
    if indicator is None:
        return [Problem(
            f"URL {source.url} không có dạng /v2/country/<C>/indicator/<I>",
            f"URL {source.url} is not of the form /v2/country/<C>/indicator/<I>",
        )]
    asked = [("indicator_id", indicator, "chỉ tiêu", "indicator")]
    if country is not None:
        field = "countryiso3code" if len(country) == 3 else "country_id"
        asked.append((field, country, "quốc gia", "country"))
    problems = []
    for field, wanted, what_vi, what_en in asked:
        if field not in columns:
            problems.append(Problem(
                f"trường '{field}' không có trong dữ liệu (có: {_listing(columns)}), không kiểm được {what_vi} {wanted}",
                f"field '{field}' missing (got: {_listing(columns)}), cannot confirm the {what_en} {wanted}",
            ))
            continue
        col = quote_ident(field)
        # NULL counts as a mismatch: a record that does not say what it is, is not what was asked.
        bad = f"upper(coalesce({col}, '')) <> upper(?)"
        count = con.execute(f"SELECT count(*) FROM {relation} WHERE {bad}", [wanted]).fetchone()[0]
        if not count:
            continue
        got = [r[0] for r in con.execute(
            f"SELECT {col} FROM {relation} WHERE {bad} GROUP BY {col} ORDER BY min(_row_number) LIMIT {MAX_EXAMPLES}",
            [wanted],
        ).fetchall()]
        problems.append(Problem(
            f"đã yêu cầu {what_vi} {wanted} (URL) nhưng {count} bản ghi có '{field}' khác (ví dụ: {_examples(got)})",
            f"asked for {what_en} {wanted} (URL) but {count} record(s) have another '{field}' (e.g. {_examples(got)})",
        ))
    return problems

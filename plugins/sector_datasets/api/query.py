"""A row request (filters, columns, sort, page) checked against a version's columns, then SQL.

No arbitrary SQL: a client names columns that must exist in the version's ``metadata.json`` and
values that must parse as the column's type; identifiers are quoted and values are bound as
parameters, so nothing a client sends becomes SQL text.

Filters are ``column:op:value`` (``filter`` may repeat): ``eq``, ``ne``, ``lt``, ``lte``, ``gt``,
``gte``, ``in`` (values separated by ``,``), ``null`` / ``notnull`` (no value). Sort is a list of
columns, ``-`` in front for descending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sector_datasets.warehouse.duckdb_lock import quote_ident

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_FILTERS = 20
MAX_IN_VALUES = 500

_OPERATORS = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_UNARY = {"null": "IS NULL", "notnull": "IS NOT NULL"}
FILTER_PATTERN = r"^[a-z][a-z0-9_]*:(eq|ne|lt|lte|gt|gte|in|null|notnull)(:.*)?$"
_FILTER = re.compile(FILTER_PATTERN, re.DOTALL)


#: metadata.json's column types (publish/metadata.py) that compare as numbers
_NUMERIC = frozenset({"number", "decimal", "double"})


class QueryError(ValueError):
    """The request cannot be answered as asked; ``str()`` is the 400 message."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class RowQuery:
    columns: tuple[str, ...]
    filters: tuple[Filter, ...] = ()
    sort: tuple[tuple[str, bool], ...] = ()  # (column, descending)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    key: tuple[str, ...] = field(default=(), compare=False)  # the primary key: the stable order

    def canonical(self) -> str:
        """One string per distinct answer (the ETag's input), whatever order the client used."""
        filters = sorted(f"{f.column}:{f.op}:{','.join(map(str, f.values))}" for f in self.filters)
        sort = ",".join(("-" if d else "") + c for c, d in self.sort)
        return f"c={','.join(self.columns)}|f={';'.join(filters)}|s={sort}|l={self.limit}|o={self.offset}"


def _typed(value: str, column: dict) -> Any:
    """``value`` as the column's Frictionless type (metadata.json ``type``), or QueryError."""
    kind = column.get("type") or "text"
    name = column["name"]
    try:
        if kind == "integer":
            return int(value)
        if kind in _NUMERIC:
            number = Decimal(value)
            if not number.is_finite():
                raise InvalidOperation
            return number
        if kind == "boolean":
            lowered = value.lower()
            if lowered not in ("true", "false"):
                raise ValueError
            return lowered == "true"
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "datetime":
            return datetime.fromisoformat(value)
    except (ValueError, InvalidOperation):
        raise QueryError(f"filter on {name!r}: {value!r} is not a {kind} (giá trị không hợp lệ)") from None
    return value


def parse(
    columns: list[dict],
    *,
    select: str | None = None,
    filters: list[str] | None = None,
    sort: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    primary_key: list[str] | None = None,
) -> RowQuery:
    """Check a request against ``columns`` (metadata.json's list); QueryError names what is wrong."""
    by_name = {c["name"]: c for c in columns}

    def known(name: str, where: str) -> str:
        if name not in by_name:
            raise QueryError(f"{where}: unknown column {name!r} (không có cột này); columns: {', '.join(by_name)}")
        return name

    chosen = tuple(known(n.strip(), "columns") for n in select.split(",") if n.strip()) if select else tuple(by_name)
    if not chosen:
        raise QueryError("columns: name at least one column")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT} (page too large: trang quá lớn)")
    if offset < 0:
        raise QueryError("offset must be 0 or more")
    parsed: list[Filter] = []
    for raw in filters or []:
        if len(parsed) >= MAX_FILTERS:
            raise QueryError(f"at most {MAX_FILTERS} filters")
        if not _FILTER.match(raw):
            raise QueryError(f"malformed filter {raw!r}: use column:op:value with op one of "
                             "eq, ne, lt, lte, gt, gte, in, null, notnull (bộ lọc sai cú pháp)")
        name, op, *rest = raw.split(":", 2)
        column = by_name.get(known(name, f"filter {raw!r}"))
        if op in _UNARY:
            if rest and rest[0]:
                raise QueryError(f"filter {raw!r}: {op} takes no value")
            parsed.append(Filter(name, op))
            continue
        if not rest:
            raise QueryError(f"filter {raw!r}: {op} needs a value")
        values = rest[0].split(",") if op == "in" else [rest[0]]
        if len(values) > MAX_IN_VALUES:
            raise QueryError(f"filter {raw!r}: at most {MAX_IN_VALUES} values")
        parsed.append(Filter(name, op, tuple(_typed(v, column) for v in values)))
    order: list[tuple[str, bool]] = []
    for item in (sort or "").split(","):
        item = item.strip()
        if item:
            descending = item.startswith("-")
            order.append((known(item.lstrip("-"), "sort"), descending))
    key = tuple(k for k in (primary_key or []) if k in by_name)
    return RowQuery(chosen, tuple(parsed), tuple(order), limit, offset, key)


def _where(query: RowQuery) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for f in query.filters:
        column = quote_ident(f.column)
        if f.op in _UNARY:
            clauses.append(f"{column} {_UNARY[f.op]}")
        elif f.op == "in":
            clauses.append(f"{column} IN ({', '.join('?' for _ in f.values)})")
            params.extend(f.values)
        else:
            clauses.append(f"{column} {_OPERATORS[f.op]} ?")
            params.append(f.values[0])
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def page_sql(query: RowQuery, relation: str) -> tuple[str, list[Any]]:
    """The page's SELECT over ``relation`` (e.g. ``read_parquet('…')``), in a stable order."""
    where, params = _where(query)
    # A page boundary must not move between requests: sort, then the primary key, break ties.
    order = [*query.sort, *((k, False) for k in query.key if k not in {c for c, _ in query.sort})]
    order_sql = (" ORDER BY " + ", ".join(f"{quote_ident(c)} {'DESC' if d else 'ASC'} NULLS LAST" for c, d in order)
                 if order else "")
    select = ", ".join(quote_ident(c) for c in query.columns)
    return (f"SELECT {select} FROM {relation}{where}{order_sql} LIMIT {query.limit} OFFSET {query.offset}",
            params)


def count_sql(query: RowQuery, relation: str) -> tuple[str, list[Any]]:
    where, params = _where(query)
    return f"SELECT count(*) FROM {relation}{where}", params

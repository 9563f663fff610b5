"""The expectation suites (expectations/*.json) translated by hand into aggregate DuckDB SQL.

This is the "no framework" baseline the quality gate is measured against: what an engineer
would write to check the same rules directly, with the same semantics as Great Expectations
(column-map expectations ignore NULLs, ``mostly`` is a fraction of the non-null rows,
``row_condition`` filters rows first, ``ignore_row_if`` as GX defines it).

Per table, every per-row or per-column rule becomes one aggregate (``count(*) FILTER (WHERE
…)``, ``avg``, ``median``, ``count(distinct …)``) in **one** SELECT, i.e. one scan; only the
column set (``information_schema``) and compound uniqueness (``GROUP BY … HAVING count(*) > 1``)
need their own query. A type this module cannot translate is skipped and reported, never
silently dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

_COND = re.compile(r'^\s*col\("(?P<col>[^"]+)"\)\s*(?:(?P<op>==|!=)\s*(?P<val>"[^"]*"|[-0-9.]+|True|False)|\.(?P<fn>notNull|isNull)\(\))\s*$')


class Untranslatable(ValueError):
    pass


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def condition_sql(kwargs: dict) -> str:
    """GX's ``great_expectations`` row_condition syntax (the subset the suites use) → SQL."""
    cond = kwargs.get("row_condition")
    if not cond:
        return "true"
    if kwargs.get("condition_parser") not in (None, "great_expectations"):
        raise Untranslatable(f"condition_parser {kwargs.get('condition_parser')!r}")
    m = _COND.match(cond)
    if not m:
        raise Untranslatable(f"row_condition {cond!r}")
    col = q(m["col"])
    if m["fn"]:
        return f"{col} IS NOT NULL" if m["fn"] == "notNull" else f"{col} IS NULL"
    val = m["val"]
    value = val[1:-1] if val.startswith('"') else {"True": True, "False": False}.get(val, val)
    sql_val = lit(value) if not isinstance(value, str) or val.startswith('"') else value
    return f"{col} {'=' if m['op'] == '==' else '<>'} {sql_val}"


@dataclass
class Check:
    """One expectation: aggregate SQL expressions plus how to judge their values."""

    index: int
    type: str
    label: str
    exprs: list[str] = field(default_factory=list)  # aggregates in the table's one SELECT
    query: str | None = None  # or a query of its own (returns one row)
    judge: Callable[[list[Any]], bool] = lambda values: True


def _mostly_ok(unexpected: int, total: int, mostly: float | None) -> bool:
    if mostly is None:
        return unexpected == 0
    return total == 0 or (1 - unexpected / total) >= mostly


def _between(value: Any, kw: dict) -> bool:
    if value is None:
        return False
    lo, hi = kw.get("min_value"), kw.get("max_value")
    if lo is not None and (value < lo if not kw.get("strict_min") else value <= lo):
        return False
    if hi is not None and (value > hi if not kw.get("strict_max") else value >= hi):
        return False
    return True


def _out_of_range_sql(c: str, kw: dict) -> str:
    parts = []
    if kw.get("min_value") is not None:
        parts.append(f"{c} {'<=' if kw.get('strict_min') else '<'} {lit(kw['min_value'])}")
    if kw.get("max_value") is not None:
        parts.append(f"{c} {'>=' if kw.get('strict_max') else '>'} {lit(kw['max_value'])}")
    return "(" + " OR ".join(parts) + ")" if parts else "false"


def translate(index: int, etype: str, kw: dict, table: str, schema: str, name: str) -> Check:
    cond = condition_sql(kw)
    col = kw.get("column")
    c = q(col) if col else None
    label = f"{etype}({col or ','.join(kw.get('column_list') or []) or kw.get('column_A', '')})"
    chk = Check(index, etype, label)
    f = f"FILTER (WHERE {cond})"
    mostly = kw.get("mostly")

    if etype == "expect_table_row_count_to_be_between":
        chk.exprs = ["count(*)"]
        chk.judge = lambda v: _between(v[0], kw)
    elif etype == "expect_table_row_count_to_equal":
        chk.exprs = ["count(*)"]
        chk.judge = lambda v: v[0] == kw["value"]
    elif etype == "expect_table_columns_to_match_set":
        chk.query = (
            "SELECT list(column_name) FROM information_schema.columns "
            f"WHERE table_schema = {lit(schema)} AND table_name = {lit(name)}"
        )
        expected = set(kw["column_set"])
        exact = kw.get("exact_match", True)
        chk.judge = lambda v: (set(v[0] or []) == expected) if exact else expected.issubset(set(v[0] or []))
    elif etype in ("expect_column_values_to_not_be_null", "expect_column_values_to_be_null"):
        bad = f"{c} IS NULL" if etype.endswith("not_be_null") else f"{c} IS NOT NULL"
        chk.exprs = [f"count(*) FILTER (WHERE ({cond}) AND {bad})", f"count(*) {f}"]
        chk.judge = lambda v: _mostly_ok(v[0], v[1], mostly)
    elif etype == "expect_column_values_to_be_between":
        chk.exprs = [f"count(*) FILTER (WHERE ({cond}) AND {c} IS NOT NULL AND {_out_of_range_sql(c, kw)})", f"count({c}) {f}"]
        chk.judge = lambda v: _mostly_ok(v[0], v[1], mostly)
    elif etype in ("expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set"):
        values = ", ".join(lit(x) for x in kw["value_set"])
        neg = "NOT " if etype == "expect_column_values_to_be_in_set" else ""
        chk.exprs = [f"count(*) FILTER (WHERE ({cond}) AND {c} IS NOT NULL AND {neg}({c} IN ({values})))", f"count({c}) {f}"]
        chk.judge = lambda v: _mostly_ok(v[0], v[1], mostly)
    elif etype in ("expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex"):
        neg = "NOT " if etype == "expect_column_values_to_match_regex" else ""
        chk.exprs = [
            f"count(*) FILTER (WHERE ({cond}) AND {c} IS NOT NULL AND {neg}regexp_matches({c}::VARCHAR, {lit(kw['regex'])}))",
            f"count({c}) {f}",
        ]
        chk.judge = lambda v: _mostly_ok(v[0], v[1], mostly)
    elif etype == "expect_column_values_to_be_unique":
        # rows whose value occurs more than once == 0  ⇔  count(c) == count(distinct c)
        chk.exprs = [f"count({c}) {f} - count(DISTINCT {c}) {f}"]
        chk.judge = lambda v: v[0] == 0 if mostly is None else True
        if mostly is not None:
            raise Untranslatable("unique with mostly")
    elif etype == "expect_compound_columns_to_be_unique":
        cols = [q(x) for x in kw["column_list"]]
        ignore = kw.get("ignore_row_if", "all_values_are_missing")
        if ignore == "all_values_are_missing":
            keep = "NOT (" + " AND ".join(f"{x} IS NULL" for x in cols) + ")"
        elif ignore == "any_value_is_missing":
            keep = " AND ".join(f"{x} IS NOT NULL" for x in cols)
        else:
            keep = "true"
        chk.query = (
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE ({cond}) AND {keep} "
            f"GROUP BY {', '.join(cols)} HAVING count(*) > 1)"
        )
        chk.judge = lambda v: v[0] == 0
    elif etype == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = q(kw["column_A"]), q(kw["column_B"])
        ignore = kw.get("ignore_row_if", "both_values_are_missing")
        keep = {
            "both_values_are_missing": f"NOT ({a} IS NULL AND {b} IS NULL)",
            "either_value_is_missing": f"{a} IS NOT NULL AND {b} IS NOT NULL",
            "neither": "true",
        }.get(ignore)
        if keep is None:
            raise Untranslatable(f"ignore_row_if {ignore!r}")
        op = ">=" if kw.get("or_equal") else ">"
        chk.exprs = [
            f"count(*) FILTER (WHERE ({cond}) AND {keep} AND NOT coalesce({a} {op} {b}, false))",
            f"count(*) FILTER (WHERE ({cond}) AND {keep})",
        ]
        chk.judge = lambda v: _mostly_ok(v[0], v[1], mostly)
    elif etype in (
        "expect_column_distinct_values_to_be_in_set",
        "expect_column_distinct_values_to_contain_set",
        "expect_column_distinct_values_to_equal_set",
    ):
        chk.exprs = [f"list(DISTINCT {c}) FILTER (WHERE ({cond}) AND {c} IS NOT NULL)"]
        want = set(kw["value_set"])
        test = {
            "expect_column_distinct_values_to_be_in_set": lambda got: got.issubset(want),
            "expect_column_distinct_values_to_contain_set": lambda got: want.issubset(got),
            "expect_column_distinct_values_to_equal_set": lambda got: got == want,
        }[etype]
        chk.judge = lambda v: test(set(v[0] or []))
    elif etype in (
        "expect_column_mean_to_be_between",
        "expect_column_median_to_be_between",
        "expect_column_sum_to_be_between",
        "expect_column_max_to_be_between",
        "expect_column_min_to_be_between",
        "expect_column_unique_value_count_to_be_between",
    ):
        agg = {
            "expect_column_mean_to_be_between": f"avg({c})",
            "expect_column_median_to_be_between": f"median({c})",
            "expect_column_sum_to_be_between": f"sum({c})",
            "expect_column_max_to_be_between": f"max({c})",
            "expect_column_min_to_be_between": f"min({c})",
            "expect_column_unique_value_count_to_be_between": f"count(DISTINCT {c})",
        }[etype]
        chk.exprs = [f"{agg} {f}"]
        chk.judge = lambda v: _between(v[0], kw)
    else:
        raise Untranslatable(etype)
    return chk


@dataclass
class SuiteSQL:
    table: str
    checks: list[Check]
    skipped: list[str]  # expectation types that could not be translated

    @property
    def aggregate_query(self) -> str | None:
        exprs = [e for chk in self.checks for e in chk.exprs]
        if not exprs:
            return None
        return "SELECT " + ",\n       ".join(exprs) + f"\nFROM {self.table}"


def suite_sql(suite_path: Path, schema: str, name: str, *, row_count_scale: tuple[int, int] | None = None) -> SuiteSQL:
    """Translate ``suite_path`` for ``schema.name``.

    ``row_count_scale`` (min, max) replaces the row-count bounds, for tables deliberately
    scaled with synthetic rows (the same replacement the GX side gets, see ``synthetic``).
    """
    data = json.loads(Path(suite_path).read_text())
    table = f"{q(schema)}.{q(name)}"
    checks, skipped = [], []
    for i, e in enumerate(data["expectations"]):
        kw = dict(e.get("kwargs") or {})
        if row_count_scale and e["type"] == "expect_table_row_count_to_be_between":
            kw["min_value"], kw["max_value"] = row_count_scale
        try:
            checks.append(translate(i, e["type"], kw, table, schema, name))
        except Untranslatable as exc:
            skipped.append(f"{e['type']} ({exc})")
    return SuiteSQL(table, checks, skipped)


def run_suite(con, suite: SuiteSQL) -> dict[int, bool]:
    """Execute the translated suite on ``con``; expectation index → success."""
    out: dict[int, bool] = {}
    query = suite.aggregate_query
    if query:
        row = list(con.execute(query).fetchone())
        pos = 0
        for chk in suite.checks:
            if chk.exprs:
                values = row[pos : pos + len(chk.exprs)]
                pos += len(chk.exprs)
                out[chk.index] = bool(chk.judge(values))
    for chk in suite.checks:
        if chk.query:
            out[chk.index] = bool(chk.judge(list(con.execute(chk.query).fetchone())))
    return out

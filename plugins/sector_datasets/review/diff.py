"""What a candidate version changes against the served one, computed in the warehouse.

One FULL OUTER JOIN of the two relations on the contract's primary key writes only the rows that
differ (added, removed, or key kept and another common column ``IS DISTINCT FROM``) into a
session-private table; every figure of the :class:`DiffSummary` is then an aggregate over that
small table, or a ``DISTINCT … EXCEPT`` over the period and series columns. No row of either
relation is fetched into Python, so the cost grows with the warehouse's scan, not with memory
(bench/diff_scaling.py measures it against the gate on the same table).

The SQL is the subset DuckDB and PostgreSQL both accept (``FLOAT8``, ``VARCHAR``, ``IS DISTINCT
FROM``, ``NULLS LAST``); the only backend-specific step, the temporary table, goes through the
dialect. :func:`release_note` turns a summary into the one or two sentences owners read.
"""

from __future__ import annotations

import time
from typing import Any

from sector_datasets.registry import Dataset
from sector_datasets.review.records import DiffSummary, PolicyOutcome, Reason, Revision, SeriesChange
from sector_datasets.state import layout
from sector_datasets.warehouse import dialect_of

NUMERIC_TYPES = frozenset({"integer", "double", "decimal"})
TOP_REVISIONS = 5
# A revision of exactly the tolerance (x → 1.01·x at 1 %) must not fail on the last bit of a double.
_TOLERANCE_SLACK = 1e-9
_TEMP = "_sd_review_diff"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(expr: str) -> str:
    return f"CAST({expr} AS VARCHAR)"


def _served_version(dataset_id: str, served: str) -> int:
    """The version in a ``curated.<dataset>__vNNNN`` name; 0 when the relation names no version."""
    name = served.rsplit(".", 1)[-1].strip('"')
    return layout.parse_version_table(dataset_id, name) or 0


def _distinct_except(con: Any, column: str, left: str, right: str | None, *, as_text: bool = False) -> list[str]:
    """Distinct non-NULL values of ``column`` in ``left`` and not in ``right``, as text, in the
    column's own order (years as numbers). DISTINCT before the cast: casting every row of a 10^7
    row table to text first cost a quarter of the whole diff (bench/diff_scaling.py)."""
    col = _text(_q(column)) if as_text else _q(column)
    sql = f"SELECT DISTINCT {col} AS v FROM {left} WHERE {_q(column)} IS NOT NULL"
    if right is not None:
        sql += f" EXCEPT SELECT DISTINCT {col} FROM {right} WHERE {_q(column)} IS NOT NULL"
    return [t for (t, _) in con.execute(f"SELECT {_text('v')} AS t, v FROM ({sql}) d ORDER BY d.v").fetchall()]


def _first_version(con: Any, dataset: Dataset, candidate: str, run_id: str, started: float) -> DiffSummary:
    rows = int(con.execute(f"SELECT count(*) FROM {candidate}").fetchone()[0])
    promise = dataset.promise
    by_series: dict[str, SeriesChange] = {}
    if promise.series_column:
        col = _q(promise.series_column)
        by_series = {
            str(s): SeriesChange(added=int(n))
            for s, n in con.execute(
                f"SELECT {_text(col)}, count(*) FROM {candidate} WHERE {col} IS NOT NULL GROUP BY 1 ORDER BY 1"
            ).fetchall()
        }
    return DiffSummary(
        dataset_id=dataset.id, run_id=run_id, from_version=None, rows_before=0, rows_after=rows, added=rows,
        periods_added=_distinct_except(con, promise.period, candidate, None) if promise.period else [],
        series_added=sorted(by_series), by_series=by_series, computed_s=round(time.perf_counter() - started, 4),
    )


def compute_diff(
    con: Any, dataset: Dataset, candidate: str, served: str | None, run_id: str, *,
    tolerance: float | None = None, from_version: int | None = None,
) -> DiffSummary:
    """Compare ``candidate`` with ``served`` (both relations in ``con``'s warehouse) by the
    contract's primary key. ``served`` None: the first version, every row is added.
    ``from_version`` defaults to the version in ``served``'s ``curated.<dataset>__vNNNN`` name."""
    started = time.perf_counter()
    if served is None:
        return _first_version(con, dataset, candidate, run_id, started)
    tolerance = dataset.publish_policy.revision_tolerance if tolerance is None else tolerance
    dialect = dialect_of(con)
    new_cols = dict(dialect.columns_of(con, candidate))
    old_cols = dict(dialect.columns_of(con, served))
    keys = list(dataset.primary_key)
    missing = [k for k in keys if k not in new_cols or k not in old_cols]
    if missing:
        raise ValueError(
            f"dataset {dataset.id}, run {run_id}: primary key column(s) {missing} missing in "
            f"{candidate if any(k not in new_cols for k in missing) else served}; cannot diff by key"
        )
    contract_types = {c.name: c.type for c in dataset.columns}
    common = [c for c in new_cols if c in old_cols and c not in keys]
    numeric = [c in contract_types and contract_types[c] in NUMERIC_TYPES for c in common]

    def pair(i: int, col: str) -> tuple[str, str]:
        o, n = f"s.{_q(col)}", f"c.{_q(col)}"
        # A column whose stored type changed between versions is compared as text.
        return (o, n) if new_cols[col] == old_cols[col] else (_text(o), _text(n))

    distinct = [f"{o} IS DISTINCT FROM {n}" for o, n in (pair(i, c) for i, c in enumerate(common))]
    select = ["CASE WHEN s.__sd_in IS NULL THEN 'a' WHEN c.__sd_in IS NULL THEN 'r' ELSE 'c' END AS st"]
    select += [f"{_text(f'COALESCE(c.{_q(k)}, s.{_q(k)})')} AS k{i}" for i, k in enumerate(keys)]
    for i, col in enumerate(common):
        o, n = pair(i, col)
        select += [f"{o} AS o{i}", f"{n} AS n{i}"]
        if numeric[i] and new_cols[col] == old_cols[col]:
            of, nf = f"CAST({o} AS FLOAT8)", f"CAST({n} AS FLOAT8)"
            select.append(
                f"CASE WHEN {o} IS DISTINCT FROM {n} AND {o} IS NOT NULL AND {o} <> 0 AND {n} IS NOT NULL "
                f"THEN abs({nf} - {of}) / abs({of}) END AS r{i}"
            )
        else:
            numeric[i] = False
            select.append(f"CAST(NULL AS FLOAT8) AS r{i}")
    series = dataset.promise.series_column
    if series and series in new_cols and series in old_cols:
        select.append(f"{_text(f'CASE WHEN c.__sd_in IS NULL THEN s.{_q(series)} ELSE c.{_q(series)} END')} AS ser")
    else:
        series = None
    wanted = [*keys, *common]
    side = lambda rel: f"(SELECT TRUE AS __sd_in, {', '.join(map(_q, wanted))} FROM {rel})"  # noqa: E731
    on = " AND ".join(f"c.{_q(k)} = s.{_q(k)}" for k in keys)
    changed_any = " OR ".join(distinct) or "FALSE"
    temp = dialect.create_temp_table(
        con, _TEMP,
        f"SELECT {', '.join(select)} FROM {side(candidate)} c FULL OUTER JOIN {side(served)} s ON {on} "
        f"WHERE s.__sd_in IS NULL OR c.__sd_in IS NULL OR {changed_any}",
    )
    try:
        summary = _summarize(con, temp, keys, common, numeric, series, tolerance)
    finally:
        dialect.drop_temp_table(con, temp)
    rows_before = int(con.execute(f"SELECT count(*) FROM {served}").fetchone()[0])
    rows_after = int(con.execute(f"SELECT count(*) FROM {candidate}").fetchone()[0])
    period = dataset.promise.period
    has_period = bool(period and period in new_cols and period in old_cols)
    series_col = dataset.promise.series_column
    retyped = lambda col: new_cols[col] != old_cols[col]  # noqa: E731  (compared as text then)
    has_series = bool(series_col and series_col in new_cols and series_col in old_cols)
    return DiffSummary(
        dataset_id=dataset.id, run_id=run_id,
        from_version=from_version if from_version is not None else _served_version(dataset.id, served),
        rows_before=rows_before, rows_after=rows_after, **summary,
        columns_added=[c for c in new_cols if c not in old_cols],
        columns_removed=[c for c in old_cols if c not in new_cols],
        periods_added=_distinct_except(con, period, candidate, served, as_text=retyped(period)) if has_period else [],
        periods_removed=_distinct_except(con, period, served, candidate, as_text=retyped(period)) if has_period else [],
        series_added=_distinct_except(con, series_col, candidate, served, as_text=retyped(series_col)) if has_series else [],
        series_removed=_distinct_except(con, series_col, served, candidate, as_text=retyped(series_col)) if has_series else [],
        computed_s=round(time.perf_counter() - started, 4),
    )


def _summarize(
    con: Any, temp: str, keys: list[str], common: list[str], numeric: list[bool], series: str | None, tolerance: float,
) -> dict:
    """Counts, tolerance, largest revisions and per-series counts from the table of differing rows."""
    limit = tolerance + _TOLERANCE_SLACK
    ok = [
        (f"(o{i} IS NOT DISTINCT FROM n{i} OR r{i} <= {limit!r})" if numeric[i] else f"o{i} IS NOT DISTINCT FROM n{i}")
        for i in range(len(common))
    ]
    within = " AND ".join(ok) or "TRUE"
    rels = [f"max(r{i})" for i in range(len(common)) if numeric[i]]
    added, removed, changed, within_n, *maxima = con.execute(
        "SELECT coalesce(sum(CASE WHEN st = 'a' THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN st = 'r' THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN st = 'c' THEN 1 ELSE 0 END), 0), "
        f"coalesce(sum(CASE WHEN st = 'c' AND {within} THEN 1 ELSE 0 END), 0)"
        + "".join(f", {r}" for r in rels) + f" FROM {temp}"
    ).fetchone()
    present = [float(m) for m in maxima if m is not None]
    revisions: list[Revision] = []
    if common and changed:
        key_cols = ", ".join(f"k{i}" for i in range(len(keys)))
        parts = [
            f"SELECT {key_cols}, {i} AS col, {_text(f'o{i}')} AS old, {_text(f'n{i}')} AS new, r{i} AS rel "
            f"FROM {temp} WHERE st = 'c' AND o{i} IS DISTINCT FROM n{i}"
            for i in range(len(common))
        ]
        order = f"rel DESC NULLS LAST, col, {key_cols}"
        for *key, col, old, new, rel in con.execute(
            f"SELECT * FROM ({' UNION ALL '.join(parts)}) u ORDER BY {order} LIMIT {TOP_REVISIONS}"
        ).fetchall():
            revisions.append(Revision(
                key=dict(zip(keys, key)), column=common[col], old=old, new=new,
                relative=None if rel is None else float(rel),
            ))
    by_series: dict[str, SeriesChange] = {}
    if series:
        for ser, a, r, c in con.execute(
            "SELECT ser, sum(CASE WHEN st = 'a' THEN 1 ELSE 0 END), sum(CASE WHEN st = 'r' THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN st = 'c' THEN 1 ELSE 0 END) FROM {temp} WHERE ser IS NOT NULL GROUP BY ser ORDER BY ser"
        ).fetchall():
            by_series[str(ser)] = SeriesChange(added=int(a), removed=int(r), changed=int(c))
    return {
        "added": int(added), "removed": int(removed), "changed": int(changed), "changed_within_tolerance": int(within_n),
        "max_relative_revision": max(present) if present else None, "revisions": revisions, "by_series": by_series,
    }


# --------------------------------------------------------------------------------------------
# The release note
# --------------------------------------------------------------------------------------------

_PERIOD_VI = {"year": "năm", "month": "tháng", "quarter": "quý", "date": "ngày", "date_reported": "ngày"}
_ACTION = {
    "publish": ("Published without review.", "Được công bố tự động."),
    "approve": ("Waiting for the owner's approval.", "Đang chờ chủ sở hữu phê duyệt."),
    "block": ("Blocked: not published.", "Bị chặn: không được công bố."),
}
# A held version's note once decided (meta.approvals' statuses); the reason stays in the approval block.
_DECIDED = {
    "approved": ("Approved by {by}.", "Đã được {by} phê duyệt."),
    "rejected": ("Rejected by {by}: not served.", "Bị {by} từ chối: không được công bố."),
    "timed_out": ("Not decided in time: not served.", "Quá hạn phê duyệt: không được công bố."),
}


def _values(values: list[str]) -> str:
    """``2024`` · ``2023, 2024`` · ``2001–2024``: a long run of periods reads as a range."""
    if len(values) <= 3:
        return ", ".join(values)
    return f"{values[0]}–{values[-1]}"


def _key(rev: Revision) -> str:
    """``airport_id 3199`` · ``indicator_code SH.DYN.MORT, year 2000``: the row, named by its key."""
    return ", ".join(f"{k} {v}" for k, v in rev.key.items())


def _shown(value: str | None) -> str:
    """A stored value as an owner reads it: a double's binary tail cut (15.049000000000001 → 15.049)."""
    if value is None:
        return "∅"
    if "." in value or "e" in value.lower():
        try:
            return f"{float(value):.10g}"
        except ValueError:
            pass
    return value


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _signed_pct(rev: Revision, decimal: str) -> str:
    sign = "+"
    try:
        sign = "-" if float(rev.new) < float(rev.old) else "+"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pass
    pct = rev.relative * 100
    return (f"{sign}{pct:.0f} %" if pct >= 10 else f"{sign}{pct:.2g} %").replace(".", decimal)


def release_note(
    diff: DiffSummary, outcome: PolicyOutcome | None = None, *, version: int | None = None, period: str | None = None,
    approval: dict | None = None,
) -> Reason:
    """One or two plain sentences for owners, in English and Vietnamese: what the version adds,
    removes and revises (the largest revision with its key), then what the policy did — or, once
    the owner decided a held version (``approval``: meta.approvals' row), who decided it.
    ``version`` prefixes ``vN:``; ``period`` is the contract's period column (``year`` → "năm")."""
    head = f"v{version}: " if version is not None else ""
    if diff.first_version:
        period_en, period_vi = period_name(period)
        span = f" ({period_en} {_values(diff.periods_added)})" if diff.periods_added else ""
        span_vi = f" ({period_vi} {_values(diff.periods_added)})" if diff.periods_added else ""
        en = [f"{head}first version, {diff.rows_after} row{_s(diff.rows_after)}{span}"]
        vi = [f"{head}phiên bản đầu tiên, {diff.rows_after} dòng{span_vi}"]
    elif diff.unchanged:
        en = [f"{head}no change against v{diff.from_version}"]
        vi = [f"{head}không thay đổi so với v{diff.from_version}"]
    else:
        en, vi = [], []
        period = period_name(period)
        if diff.added:
            when = f" ({period[0]} {_values(diff.periods_added)})" if diff.periods_added else ""
            when_vi = f" ({period[1]} {_values(diff.periods_added)})" if diff.periods_added else ""
            en.append(f"{diff.added} new row{_s(diff.added)}{when}")
            vi.append(f"{diff.added} dòng mới{when_vi}")
        if diff.removed:
            gone = f" ({period[0]} {_values(diff.periods_removed)} gone)" if diff.periods_removed else ""
            gone_vi = f" (mất {period[1]} {_values(diff.periods_removed)})" if diff.periods_removed else ""
            en.append(f"{diff.removed} row{_s(diff.removed)} removed{gone}")
            vi.append(f"{diff.removed} dòng bị bỏ{gone_vi}")
        if diff.changed:
            top = diff.revisions[0] if diff.revisions else None
            # Which value, of which row, from what to what: an owner checks it against the source.
            change = f"{_shown(top.old)} → {_shown(top.new)}" if top else ""
            where = f" ({top.column} of {_key(top)}: {change})" if top else ""
            where_vi = f" ({top.column} của {_key(top)}: {change})" if top else ""
            sized = top is not None and top.relative is not None  # a text or a from-zero change has no size
            en.append(f"{diff.changed} past value{_s(diff.changed)} revised"
                      + (f", largest {_signed_pct(top, '.')}" if sized else "") + where)
            vi.append(f"{diff.changed} giá trị cũ được sửa"
                      + (f", lớn nhất {_signed_pct(top, ',')}" if sized else "") + where_vi)
        if diff.series_added or diff.series_removed:
            en.append(f"series added {_values(diff.series_added) or 'none'}, removed {_values(diff.series_removed) or 'none'}")
            vi.append(f"chuỗi mới {_values(diff.series_added) or 'không'}, chuỗi mất {_values(diff.series_removed) or 'không'}")
        if diff.repeated_keys:
            en.append(f"{diff.repeated_keys} row{_s(diff.repeated_keys)} repeating a key")
            vi.append(f"{diff.repeated_keys} dòng lặp khóa")
        if diff.columns_added or diff.columns_removed:
            en.append(f"columns added {', '.join(diff.columns_added) or 'none'}, removed {', '.join(diff.columns_removed) or 'none'}")
            vi.append(f"cột mới {', '.join(diff.columns_added) or 'không'}, cột bỏ {', '.join(diff.columns_removed) or 'không'}")
        en[0], vi[0] = head + en[0], head + vi[0]
    text_en, text_vi = "; ".join(en) + ".", "; ".join(vi) + "."
    decided = _DECIDED.get((approval or {}).get("status") or "")
    if decided is not None:
        by = approval.get("by") or "?"
        text_en, text_vi = f"{text_en} {decided[0].format(by=by)}", f"{text_vi} {decided[1].format(by=by)}"
    elif outcome is not None and outcome.action in _ACTION:
        text_en, text_vi = f"{text_en} {_ACTION[outcome.action][0]}", f"{text_vi} {_ACTION[outcome.action][1]}"
    if not head:  # "v4: …" stays lower case
        text_en, text_vi = text_en[0].upper() + text_en[1:], text_vi[0].upper() + text_vi[1:]
    return Reason(en=text_en, vi=text_vi)


def period_name(column: str | None) -> tuple[str, str]:
    """How the note names a period (en, vi): the period column's name, ``year`` → ``năm``."""
    if not column:
        return "period", "kỳ"
    return column.replace("_", " "), _PERIOD_VI.get(column, "kỳ")

"""Small inline SVG charts, drawn in Python: no JavaScript, no CDN, nothing fetched at view time.

Each chart scales to its container (``viewBox`` + ``width="100%"``), so it reads on a phone and
on a desktop, carries an ``aria-label`` summary, and a ``<title>`` tooltip on every point.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from markupsafe import Markup

from sector_datasets.report.formatting import fmt_number, fmt_percent, fmt_short_time, fmt_time

PASS, FAIL, LINE, GRID, TEXT = "#0b6e2f", "#b42318", "#334e68", "#d9e2ec", "#627d98"


#: At most this many axis labels under the trend chart (each two lines: day, time).
AXIS_LABELS = 6


@dataclass(frozen=True)
class RunPoint:
    label: str  # run id (tooltip)
    when: datetime | None  # the run's start; the axis shows day and time (runs share days)
    passed: int
    total: int
    carried: int = 0  # datasets not re-gated in this run (source unchanged): last result kept

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class CountPoint:
    label: str
    value: int | None
    ok: bool
    when: datetime | None = None


def _x(i: int, n: int, left: float, width: float) -> float:
    return left + (width / 2 if n == 1 else i * width / (n - 1))


def pass_rate_chart(points: list[RunPoint], *, width: int = 640, height: int = 180) -> Markup:
    """Gate pass rate per run (share of the sector's gated datasets that passed)."""
    if not points:
        return Markup('<p class="muted">Chưa có lần chạy nào</p>')
    left, right, top, bottom = 44, 24, 12, 40
    pw, ph = width - left - right, height - top - bottom
    n = len(points)

    def y(rate: float) -> float:
        return top + ph * (1 - rate)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(_summary(points))}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for rate in (0, 0.5, 1):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(rate):.1f}" y2="{y(rate):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y(rate) + 4:.1f}" font-size="11" text-anchor="end" fill="{TEXT}">{fmt_percent(rate)}</text>')
    coords = [(_x(i, n, left, pw), y(p.rate)) for i, p in enumerate(points)]
    if n > 1:
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for (x, yy), p in zip(coords, points):
        colour = PASS if p.passed == p.total else FAIL
        kept = f", {p.carried} bộ không đổi giữ kết quả trước" if p.carried else ""
        tip = f"{fmt_time(p.when)} — {p.passed}/{p.total} bộ đạt{kept} (lần chạy {p.label})"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="5" fill="{colour}" data-run="{escape(p.label)}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    for i in _axis_ticks(n):
        if points[i].when is None:
            continue
        day, clock = fmt_short_time(points[i].when)
        anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
        parts.append(
            f'<text class="tick" x="{coords[i][0]:.1f}" y="{height - 22}" font-size="11" text-anchor="{anchor}" fill="{TEXT}">'
            f'<tspan x="{coords[i][0]:.1f}">{escape(day)}</tspan><tspan x="{coords[i][0]:.1f}" dy="13">{escape(clock)}</tspan></text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _axis_ticks(n: int) -> list[int]:
    """Indexes of the points labelled on the axis: all of them up to AXIS_LABELS, else evenly
    spaced ones, always the first and the last."""
    if n <= AXIS_LABELS:
        return list(range(n))
    step = (n - 1) / (AXIS_LABELS - 1)
    return sorted({round(i * step) for i in range(AXIS_LABELS)})


def _summary(points: list[RunPoint]) -> str:
    last = points[-1]
    return f"Tỷ lệ đạt kiểm định qua {len(points)} lần chạy; gần nhất {last.passed}/{last.total} bộ đạt"


def row_count_sparkline(points: list[CountPoint], *, width: int = 240, height: int = 48) -> Markup:
    """Rows audited per run; failing runs in red, so a jump that broke the gate stands out."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return Markup('<span class="muted">—</span>')
    lo, hi = min(values), max(values)
    pad, right = 6, 64  # room on the right for the latest value
    pw, ph = width - pad - right, height - 2 * pad
    n = len(points)

    def y(v: int) -> float:
        return pad + (ph / 2 if hi == lo else ph * (1 - (v - lo) / (hi - lo)))

    coords = [(_x(i, n, pad, pw), y(p.value), p) for i, p in enumerate(points) if p.value is not None]
    last = values[-1]
    span = fmt_number(lo) if lo == hi else f"{fmt_number(lo)}–{fmt_number(hi)}"
    label = f"Số dòng qua {len(values)} lần kiểm định: {span}; gần nhất {fmt_number(last)}"
    parts = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
    ]
    x_last, y_last, _ = coords[-1]
    parts.append(
        f'<text class="value" x="{x_last + 8:.1f}" y="{y_last + 4:.1f}" font-size="12" fill="{TEXT}">{escape(fmt_number(last))}</text>'
    )
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
    for x, yy, p in coords:
        tip = f"{fmt_time(p.when) if p.when else p.label}: {fmt_number(p.value)} dòng — {'đạt' if p.ok else 'không đạt'}"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3.5" fill="{PASS if p.ok else FAIL}"><title>{escape(tip)}</title></circle>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def score_bar(share: float, *, width: int = 120, height: int = 12) -> Markup:
    """A horizontal bar for a 0..1 share (sector score in the national ranking)."""
    share = min(max(share, 0.0), 1.0)
    colour = PASS if share >= 0.75 else (LINE if share >= 0.5 else FAIL)
    return Markup(
        f'<svg class="bar" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(fmt_percent(share))}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{width}" height="{height}" rx="3" fill="{GRID}"/>'
        f'<rect width="{width * share:.1f}" height="{height}" rx="3" fill="{colour}"/></svg>'
    )

"""Small inline SVG charts, drawn in Python: no JavaScript, no CDN, nothing fetched at view time.

Each chart scales to its container (``viewBox`` + ``width="100%"``), so it reads on a phone and
on a desktop, carries an ``aria-label`` summary, and a ``<title>`` tooltip on every point.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PASS, FAIL, LINE, GRID, TEXT = "#0b6e2f", "#b42318", "#334e68", "#d9e2ec", "#627d98"


@dataclass(frozen=True)
class RunPoint:
    label: str  # run id (tooltip)
    when: str  # short date for the axis
    passed: int
    total: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class CountPoint:
    label: str
    value: int | None
    ok: bool


def _x(i: int, n: int, left: float, width: float) -> float:
    return left + (width / 2 if n == 1 else i * width / (n - 1))


def pass_rate_chart(points: list[RunPoint], *, width: int = 640, height: int = 180) -> Markup:
    """Gate pass rate per run (share of the sector's gated datasets that passed)."""
    if not points:
        return Markup('<p class="muted">Chưa có lần chạy nào / no runs yet</p>')
    left, right, top, bottom = 40, 12, 12, 30
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
        parts.append(f'<text x="{left - 6}" y="{y(rate) + 4:.1f}" font-size="11" text-anchor="end" fill="{TEXT}">{int(rate * 100)}%</text>')
    coords = [(_x(i, n, left, pw), y(p.rate)) for i, p in enumerate(points)]
    if n > 1:
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for (x, yy), p in zip(coords, points):
        colour = PASS if p.passed == p.total else FAIL
        tip = f"{p.label} ({p.when}): {p.passed}/{p.total} đạt / passed"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="5" fill="{colour}" data-run="{escape(p.label)}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    for i in sorted({0, n - 1}):
        anchor = "start" if i == 0 and n > 1 else ("end" if n > 1 else "middle")
        parts.append(
            f'<text x="{coords[i][0]:.1f}" y="{height - 8}" font-size="11" text-anchor="{anchor}" fill="{TEXT}">'
            f"{escape(points[i].when)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _summary(points: list[RunPoint]) -> str:
    last = points[-1]
    return (
        f"Tỉ lệ đạt kiểm định qua {len(points)} lần chạy; gần nhất {last.passed}/{last.total} / "
        f"gate pass rate over {len(points)} runs; latest {last.passed}/{last.total}"
    )


def row_count_sparkline(points: list[CountPoint], *, width: int = 240, height: int = 48) -> Markup:
    """Rows audited per run; failing runs in red, so a jump that broke the gate stands out."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return Markup('<span class="muted">—</span>')
    lo, hi = min(values), max(values)
    pad = 6
    pw, ph = width - 2 * pad, height - 2 * pad
    n = len(points)

    def y(v: int) -> float:
        return pad + (ph / 2 if hi == lo else ph * (1 - (v - lo) / (hi - lo)))

    coords = [(_x(i, n, pad, pw), y(p.value), p) for i, p in enumerate(points) if p.value is not None]
    label = f"Số dòng qua {len(values)} lần chạy: {lo}–{hi} / rows over {len(values)} runs: {lo}–{hi}"
    parts = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
    for x, yy, p in coords:
        tip = f"{p.label}: {p.value} dòng / rows — {'đạt / passed' if p.ok else 'không đạt / failed'}"
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
        f'aria-label="{share * 100:.0f}%" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{width}" height="{height}" rx="3" fill="{GRID}"/>'
        f'<rect width="{width * share:.1f}" height="{height}" rx="3" fill="{colour}"/></svg>'
    )

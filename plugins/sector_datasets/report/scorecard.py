"""The sector scorecards, the national overview and the pages they link to, as static files.

Layout under ``reports/`` (everything links relatively, so the folder — next to ``exports/`` —
can be served by the Airflow plugin, opened from disk or copied to any web server):

=============================================  ================================================
``index.html`` / ``index.json``                national overview: sectors ranked by maturity
``maturity.html``                              the maturity criteria and levels (from the code)
``<sector>/index.html`` / ``scorecard.json``   the sector scorecard (what sector owners read)
``<sector>/datasets/<dataset>.html``           data dictionary, downloads, versions, gate history
``<sector>/validations/<dataset>/<run>.html``  one gate result in full (our GX Data Docs)
``<sector>/runs/<run>.html``                   what each stage did in one run (``sector_report``)
``dbt-docs/``                                  ``dbt docs generate`` output (``publish_docs``)
=============================================  ================================================
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sector_datasets.state import layout
from sector_datasets.registry import Registry, Sector
from sector_datasets.settings import Settings
from sector_datasets.report import charts, opendata
from sector_datasets.report._files import atomic_write_json, atomic_write_text, rel_url
from sector_datasets.report.dbt_docs import docs_link, model_anchor
from sector_datasets.report.facts import DatasetFacts, GateRun, SectorFacts, all_facts
from sector_datasets.report.freshness import STALE_FACTOR, Freshness, freshness_of, period_days
from sector_datasets.report.licences import Licence, parse_licence
from sector_datasets.report.maturity import CRITERIA, MIN_EXPECTATIONS
from sector_datasets.report.maturity_score import (
    HIGH_QUALITY_LEVEL,
    LEVELS,
    TARGET_MAX,
    TARGET_MIN,
    DatasetMaturity,
    SectorMaturity,
    score_dataset,
    score_sector,
)

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
TREND_RUNS = 20  # runs shown in the trend charts

GATE_LABELS = {"passed": "Đạt / passed", "failed": "Không đạt / failed", "not run": "Chưa chạy / not run"}
FRESHNESS_LABELS = {
    "fresh": "Đúng hạn / fresh",
    "stale": "Quá hạn / STALE",
    "static": "Dữ liệu tĩnh / static",
    "never": "Chưa công bố / not published",
}
TARGET_LABELS = {
    "below": "Chưa đạt mục tiêu / below target",
    "met": "Đạt mục tiêu / target met",
    "above": "Vượt mục tiêu / above target",
}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    env.filters["dt"] = fmt_time
    env.filters["num"] = fmt_number
    env.globals.update(
        GATE_LABELS=GATE_LABELS, FRESHNESS_LABELS=FRESHNESS_LABELS, TARGET_LABELS=TARGET_LABELS, LEVELS=LEVELS,
    )
    return env


def fmt_time(moment: datetime | str | None) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, str):
        return moment
    return moment.astimezone(UTC).strftime("%Y-%m-%d\u00a0%H:%M\u00a0UTC")  # no-break spaces: one line


def fmt_number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator
    return str(value)


# --------------------------------------------------------------------------------------------
# View models
# --------------------------------------------------------------------------------------------


@dataclass
class FailedExpectation:
    label: str
    detail: str
    why: str | None


@dataclass
class DatasetView:
    facts: DatasetFacts
    maturity: DatasetMaturity
    freshness: Freshness
    licence: Licence
    gate: str  # passed / failed / not run
    latest: GateRun | None
    failures: list[FailedExpectation]
    links: dict[str, str] = field(default_factory=dict)
    spark: Any = None

    @property
    def id(self) -> str:
        return self.facts.dataset_id


@dataclass
class SectorView:
    sector: Sector
    facts: SectorFacts
    datasets: list[DatasetView]
    maturity: SectorMaturity
    latest_passed: int
    latest_total: int

    @property
    def id(self) -> str:
        return self.sector.id

    @property
    def latest_run_at(self) -> datetime | None:
        run = self.facts.latest_run
        return run.started_at if run else None


def expectation_why(suite: dict | None, result: dict) -> str | None:
    """The reason the suite gives for an expectation (its ``meta.why``), matched by type and kwargs."""
    candidates = [
        e for e in (suite or {}).get("expectations") or []
        if e.get("type") == result.get("type") and (e.get("kwargs") or {}).get("column") == (result.get("kwargs") or {}).get("column")
    ]
    if len(candidates) > 1:
        kwargs = result.get("kwargs") or {}
        candidates = [e for e in candidates if all(kwargs.get(k) == v for k, v in (e.get("kwargs") or {}).items())] or candidates[:1]
    if not candidates:
        return None
    meta = candidates[0].get("meta") or {}
    return meta.get("why") or meta.get("notes") or None


def describe(result: dict) -> tuple[str, str]:
    """(label, one-line detail with examples) of one expectation result."""
    from sector_datasets.gate.outcomes import ExpectationOutcome

    outcome = ExpectationOutcome.from_dict(result)
    text = outcome.describe()
    label = outcome.label()
    return label, text[len(label):].strip() if text.startswith(label) else text


def gate_status(latest: GateRun | None) -> str:
    if latest is None:
        return "not run"
    return "passed" if latest.success else "failed"


def dataset_links(settings: Settings, facts: DatasetFacts, from_dir: Path) -> dict[str, str]:
    current = layout.current_link(settings.exports_dir, facts.sector_id, facts.dataset_id)
    links = {"dictionary": rel_url(layout.dataset_page(settings.reports_dir, facts.sector_id, facts.dataset_id), from_dir)}
    if facts.published is not None:
        links |= {
            "csv": rel_url(layout.csv_file(current, facts.dataset_id), from_dir),
            "parquet": rel_url(layout.parquet_file(current, facts.dataset_id), from_dir),
            "metadata": rel_url(layout.metadata_file(current), from_dir),
            "datapackage": rel_url(layout.datapackage_file(settings.exports_dir, facts.sector_id, facts.dataset_id), from_dir),
        }
    if facts.latest_gate is not None:
        links["validation"] = rel_url(layout.validation_page(settings.reports_dir, facts.sector_id, facts.dataset_id, facts.latest_gate.run_id), from_dir)
    docs = docs_link(settings)
    if docs is not None:
        links["dbt_docs"] = rel_url(docs, from_dir) + model_anchor(facts.model_name or facts.dataset_id)
    return links


def dataset_view(settings: Settings, facts: DatasetFacts, now: datetime, from_dir: Path) -> DatasetView:
    latest = facts.latest_gate
    failures = []
    if latest is not None:
        for result in latest.failures:
            label, detail = describe(result)
            failures.append(FailedExpectation(label, detail, expectation_why(facts.suite, result)))
    runs = facts.gate_runs[-TREND_RUNS:]
    return DatasetView(
        facts=facts,
        maturity=score_dataset(facts, now),
        freshness=freshness_of(facts, now),
        licence=parse_licence(facts.licence),
        gate=gate_status(latest),
        latest=latest,
        failures=failures,
        links=dataset_links(settings, facts, from_dir),
        spark=charts.row_count_sparkline([charts.CountPoint(g.run_id, g.row_count, g.success) for g in runs]),
    )


def sector_view(settings: Settings, facts: SectorFacts, now: datetime) -> SectorView:
    page_dir = layout.sector_reports_dir(settings.reports_dir, facts.sector.id)
    views = [dataset_view(settings, f, now, page_dir) for f in facts.datasets]
    published = sum(1 for v in views if v.facts.published is not None)
    latest = [v.latest for v in views if v.latest is not None]
    return SectorView(
        sector=facts.sector,
        facts=facts,
        datasets=views,
        maturity=score_sector([v.maturity for v in views], published),
        latest_passed=sum(1 for g in latest if g.success),
        latest_total=len(latest),
    )


def run_points(facts: SectorFacts) -> list[charts.RunPoint]:
    """Pass rate per run: of the sector's gates that ran in that run, how many passed."""
    by_run: dict[str, list[GateRun]] = {}
    for ds in facts.datasets:
        for g in ds.gate_runs:
            by_run.setdefault(g.run_id, []).append(g)
    epoch = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(by_run.items(), key=lambda kv: min((g.started_at or epoch) for g in kv[1]))
    points = []
    for run_id, gates in ordered[-TREND_RUNS:]:
        when = min((g.started_at for g in gates if g.started_at), default=None)
        points.append(
            charts.RunPoint(run_id, when.strftime("%Y-%m-%d") if when else "?", sum(g.success for g in gates), len(gates))
        )
    return points


def rank(views: list[SectorView]) -> list[SectorView]:
    """National ranking: sector level, then high-quality datasets, then score, then latest gates."""
    return sorted(
        views,
        key=lambda v: (
            -v.maturity.level,
            -v.maturity.high_quality,
            -v.maturity.score,
            -(v.latest_passed / v.latest_total if v.latest_total else 0),
            v.id,
        ),
    )


# --------------------------------------------------------------------------------------------
# JSON (machine-readable twins of the pages)
# --------------------------------------------------------------------------------------------


def scorecard_json(view: SectorView, generated_at: datetime) -> dict:
    m = view.maturity
    return {
        "sector": view.id,
        "name": view.sector.name.model_dump(),
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "target": {"min": TARGET_MIN, "max": TARGET_MAX, "high_quality_level": HIGH_QUALITY_LEVEL,
                   "high_quality": m.high_quality, "status": m.target_status},
        "maturity": {"level": m.level, "label": [m.label_vi, m.label_en], "score": round(m.score, 3)},
        "published": m.published,
        "declared": m.declared,
        "latest_run": view.facts.latest_run.run_id if view.facts.latest_run else None,
        "datasets": [
            {
                "id": d.id,
                "gate": d.gate,
                "gate_run": d.latest.run_id if d.latest else None,
                "failed_expectations": [f.label for f in d.failures],
                "level": d.maturity.level,
                "criteria": {r.id: {"met": r.met, "detail": r.detail} for r in d.maturity.results},
                "published_version": d.facts.published.version if d.facts.published else None,
                "rows": d.facts.published.row_count if d.facts.published else None,
                "freshness": d.freshness.status,
                "licence": d.facts.licence,
            }
            for d in view.datasets
        ],
    }


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def _common(settings: Settings, page_dir: Path, generated_at: datetime) -> dict:
    docs = docs_link(settings)
    return {
        "generated_at": fmt_time(generated_at),
        "home": rel_url(layout.overview_page(settings.reports_dir), page_dir),
        "maturity_page": rel_url(layout.maturity_page(settings.reports_dir), page_dir),
        "catalog": rel_url(layout.catalog_jsonld_file(settings.exports_dir), page_dir),
        "dbt_docs": rel_url(docs, page_dir) if docs else None,
    }


def _run_link(settings: Settings, sector_id: str, folder: str) -> str | None:
    """The scorecard's link to a run report, if the run's report task wrote one (a killed run may not have)."""
    path = layout.run_page(settings.reports_dir, sector_id, folder)
    return rel_url(path, layout.sector_reports_dir(settings.reports_dir, sector_id)) if path.exists() else None


def write_scorecard(settings: Settings, env: Environment, view: SectorView, generated_at: datetime) -> Path:
    page = layout.scorecard_page(settings.reports_dir, view.id)
    page_dir = page.parent
    runs = list(reversed(view.facts.runs[-10:]))
    html = env.get_template("scorecard.html.j2").render(
        **_common(settings, page_dir, generated_at),
        view=view,
        m=view.maturity,
        trend=charts.pass_rate_chart(run_points(view.facts)),
        runs=[(r, _run_link(settings, view.id, r.folder)) for r in runs],
        latest_run=view.facts.latest_run,
        latest_run_link=_run_link(settings, view.id, view.facts.latest_run.folder) if view.facts.latest_run else None,
        target=(TARGET_MIN, TARGET_MAX),
        hq_level=HIGH_QUALITY_LEVEL,
    )
    atomic_write_json(page_dir / "scorecard.json", scorecard_json(view, generated_at))
    return atomic_write_text(page, html)


def write_dataset_page(settings: Settings, env: Environment, view: SectorView, d: DatasetView, generated_at: datetime) -> Path:
    path = layout.dataset_page(settings.reports_dir, view.id, d.id)
    page_dir = path.parent
    links = dataset_links(settings, d.facts, page_dir)
    columns = []
    if d.facts.published is not None:
        for c in d.facts.published.columns:
            kind = opendata.table_schema_type(c.type)
            columns.append(
                {"column": c, "schema_type": kind["type"],
                 "constraints": opendata.field_constraints(d.facts.suite, c.name, kind["type"])}
            )
    gates = [
        (g, rel_url(layout.validation_page(settings.reports_dir, view.id, d.id, g.run_id), page_dir))
        for g in reversed(d.facts.gate_runs[-TREND_RUNS:])
    ]
    html = env.get_template("dataset.html.j2").render(
        **_common(settings, page_dir, generated_at),
        sector=view.sector,
        scorecard=rel_url(layout.scorecard_page(settings.reports_dir, view.id), page_dir),
        d=d,
        links=links,
        columns=columns,
        gates=gates,
        period=period_days(d.facts.update_frequency),
    )
    return atomic_write_text(path, html)


def write_validation_pages(settings: Settings, env: Environment, view: SectorView, generated_at: datetime, *, force_run: str | None = None) -> list[Path]:
    """One page per kept gate result; written when missing or older than its result or template."""
    template = env.get_template("validation.html.j2")
    template_mtime = max(p.stat().st_mtime for p in TEMPLATES.glob("*.j2"))
    written = []
    for d in view.datasets:
        for g in d.facts.gate_runs:
            path = layout.validation_page(settings.reports_dir, view.id, d.id, g.run_id)
            fresh = path.exists() and g.path is not None and path.stat().st_mtime >= max(g.path.stat().st_mtime, template_mtime)
            if fresh and g.run_id != force_run:
                continue
            page_dir = path.parent
            rows = []
            for result in g.results:
                label, detail = describe(result)
                rows.append({"r": result, "label": label, "detail": detail, "why": expectation_why(d.facts.suite, result)})
            html = template.render(
                **_common(settings, page_dir, generated_at),
                sector=view.sector,
                scorecard=rel_url(layout.scorecard_page(settings.reports_dir, view.id), page_dir),
                dictionary=rel_url(layout.dataset_page(settings.reports_dir, view.id, d.id), page_dir),
                d=d,
                g=g,
                rows=rows,
            )
            written.append(atomic_write_text(path, html))
    return written


def write_overview(settings: Settings, env: Environment, views: list[SectorView], generated_at: datetime) -> Path:
    page_dir = settings.reports_dir
    ranked = rank([v for v in views if v.sector.kind == "sector"])
    shared = [v for v in views if v.sector.kind != "sector"]
    html = env.get_template("overview.html.j2").render(
        **_common(settings, page_dir, generated_at),
        ranked=ranked,
        shared=shared,
        target=(TARGET_MIN, TARGET_MAX),
        hq_level=HIGH_QUALITY_LEVEL,
        meeting=sum(1 for v in ranked if v.maturity.target_status != "below"),
        bar=charts.score_bar,
    )
    atomic_write_json(
        page_dir / "index.json",
        {
            "generated_at": generated_at.isoformat(timespec="seconds"),
            "ranking": [
                {"rank": i, "sector": v.id, "level": v.maturity.level, "high_quality": v.maturity.high_quality,
                 "published": v.maturity.published, "declared": v.maturity.declared,
                 "score": round(v.maturity.score, 3), "target_status": v.maturity.target_status,
                 "latest_gates": [v.latest_passed, v.latest_total]}
                for i, v in enumerate(ranked, 1)
            ],
        },
    )
    return atomic_write_text(layout.overview_page(settings.reports_dir), html)


def write_maturity_page(settings: Settings, env: Environment, generated_at: datetime) -> Path:
    html = env.get_template("maturity.html.j2").render(
        **_common(settings, settings.reports_dir, generated_at),
        criteria=CRITERIA,
        levels=LEVELS,
        min_expectations=MIN_EXPECTATIONS,
        stale_factor=STALE_FACTOR,
        target=(TARGET_MIN, TARGET_MAX),
        hq_level=HIGH_QUALITY_LEVEL,
    )
    return atomic_write_text(layout.maturity_page(settings.reports_dir), html)


@dataclass
class Site:
    views: dict[str, SectorView]
    generated_at: datetime


def write_site(settings: Settings, registry: Registry, *, now: datetime | None = None, current_run: tuple[str, str] | None = None) -> Site:
    """Regenerate every scorecard, the overview, the open-data metadata and the linked pages.

    ``current_run`` (sector id, run id) forces that run's validation pages to be rewritten.
    """
    now = now or datetime.now(UTC)
    env = environment()
    facts = all_facts(settings, registry)
    for sector_id, sf in facts.items():
        for f in sf.datasets:
            if f.published is not None:
                try:
                    opendata.write_datapackage(settings, registry.sector(sector_id), f)
                except OSError as exc:  # a version folder removed under us: the next run repairs it
                    log.warning("datapackage for %s not written: %s", f.dataset_id, exc)
    views = {sid: sector_view(settings, sf, now) for sid, sf in facts.items()}
    opendata.write_catalog(settings, registry, facts, {d.id: d.maturity for v in views.values() for d in v.datasets})
    for view in views.values():
        write_scorecard(settings, env, view, now)
        for d in view.datasets:
            write_dataset_page(settings, env, view, d, now)
        force = current_run[1] if current_run and current_run[0] == view.id else None
        write_validation_pages(settings, env, view, now, force_run=force)
    write_maturity_page(settings, env, now)
    write_overview(settings, env, list(views.values()), now)
    return Site(views, now)

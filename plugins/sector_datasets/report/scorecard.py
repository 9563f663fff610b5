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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sector_datasets.state import layout
from sector_datasets.registry import Registry
from sector_datasets.settings import Settings
from sector_datasets.report import charts, datapackage, dcat, metadata_quality
from sector_datasets.report._files import atomic_write_json, atomic_write_text, rel_url
from sector_datasets.report.dbt_docs import docs_link
from sector_datasets.report.explain import explain
from sector_datasets.report.facts import all_facts
from sector_datasets.report.freshness import STALE_FACTOR, period_days
from sector_datasets.report.formatting import ICT_MARK, fmt_number, fmt_percent, fmt_time
from sector_datasets.report.maturity import CRITERIA, FREQUENCY_VI, MIN_EXPECTATIONS
from sector_datasets.report.maturity_score import HIGH_QUALITY_LEVEL, LEVELS, TARGET_MAX, TARGET_MIN
from sector_datasets.report.views import (
    TREND_RUNS,
    WHO_VI,
    DatasetView,
    SectorView,
    dataset_links,
    expectation_why,
    rank,
    run_points,
    scorecard_json,
    sector_view,
)

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"

# Vietnamese on the pages; English once, in the page's legend (templates/_legend.html.j2).
GATE_LABELS = {"passed": "Đạt", "failed": "Không đạt", "not run": "Chưa chạy"}
GATE_LABELS_EN = {"passed": "passed", "failed": "failed", "not run": "not run"}
FRESHNESS_LABELS = {
    "fresh": "Đúng hạn",
    "stale": "Quá hạn lấy dữ liệu",
    "outdated": "Dữ liệu cũ",
    "static": "Dữ liệu tĩnh",
    "never": "Chưa công bố",
}
FRESHNESS_LABELS_EN = {
    "fresh": "fresh", "stale": "not fetched in time (stale)", "outdated": "data period too old (outdated)",
    "static": "static data", "never": "not published",
}
TARGET_LABELS = {"below": "Chưa đạt mục tiêu", "met": "Đạt mục tiêu", "above": "Vượt mục tiêu"}
TARGET_LABELS_EN = {"below": "below target", "met": "target met", "above": "above target"}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    env.filters["dt"] = fmt_time
    env.filters["num"] = fmt_number
    env.filters["pct"] = fmt_percent
    env.globals.update(
        GATE_LABELS=GATE_LABELS, FRESHNESS_LABELS=FRESHNESS_LABELS, TARGET_LABELS=TARGET_LABELS, LEVELS=LEVELS,
        GATE_LABELS_EN=GATE_LABELS_EN, FRESHNESS_LABELS_EN=FRESHNESS_LABELS_EN, TARGET_LABELS_EN=TARGET_LABELS_EN,
        WHO_VI=WHO_VI, FREQUENCY_VI=FREQUENCY_VI, ICT_MARK=ICT_MARK,
        MQA_MAX=metadata_quality.MAX_POINTS, mqa_ranking=metadata_quality_ranking,
    )
    return env


def metadata_quality_ranking(views: list[SectorView]) -> list[SectorView]:
    """Sectors by the mean metadata-quality score of their published datasets, best first."""
    scored = [v for v in views if v.metadata_quality is not None]
    return sorted(scored, key=lambda v: (-(v.metadata_quality or 0), v.id))


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
        described = d.facts.published.metadata.get("columns") or []
        for c, raw in zip(d.facts.published.columns, described):
            field = datapackage.table_field(raw, d.facts.suite)
            columns.append({"column": c, "schema_type": field["type"], "constraints": field.get("constraints", {})})
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
                why = expectation_why(d.facts.suite, result)
                said = explain(result, d.facts, why)
                rows.append({"r": result, "label": said.label, "detail": said.detail_en, "why": why,
                             "rule_vi": said.rule_vi, "found_vi": said.found_vi, "rows_vi": said.rows_vi})
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
                    datapackage.write_datapackage(settings, registry.sector(sector_id), f)
                except OSError as exc:  # a version folder removed under us: the next run repairs it
                    log.warning("datapackage for %s not written: %s", f.dataset_id, exc)
    views = {sid: sector_view(settings, sf, now) for sid, sf in facts.items()}
    catalog = dcat.write_catalog(settings, registry, facts, {d.id: d.maturity for v in views.values() for d in v.datasets})
    quality = metadata_quality.catalog_assessments(catalog, lambda url: dcat.published_file(settings, url) is not None)
    for view in views.values():
        for d in view.datasets:
            d.metadata_quality = quality.get(d.id)
    for view in views.values():
        write_scorecard(settings, env, view, now)
        for d in view.datasets:
            write_dataset_page(settings, env, view, d, now)
        force = current_run[1] if current_run and current_run[0] == view.id else None
        write_validation_pages(settings, env, view, now, force_run=force)
    write_maturity_page(settings, env, now)
    write_overview(settings, env, list(views.values()), now)
    return Site(views, now)

"""What the scorecard pages show, computed from the facts: view models, their ranking and JSON.

The page writers (:mod:`.scorecard`) render these with the Jinja templates; ``scorecard.json``
and ``index.json`` are the machine-readable twins of the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sector_datasets.registry import Sector
from sector_datasets.settings import Settings
from sector_datasets.state import layout
from sector_datasets.report import charts
from sector_datasets.report._files import rel_url
from sector_datasets.report.changes import VersionChanges, changes_of, period_text
from sector_datasets.report.dbt_docs import docs_link, model_anchor
from sector_datasets.report.facts import DatasetFacts, GateRun, SectorFacts
from sector_datasets.report.freshness import Freshness, freshness_of
from sector_datasets.report.licences import Licence, parse_licence
from sector_datasets.report.maturity_score import (
    HIGH_QUALITY_LEVEL,
    TARGET_MAX,
    TARGET_MIN,
    DatasetMaturity,
    SectorMaturity,
    score_dataset,
    score_sector,
)

TREND_RUNS = 20  # runs shown in the trend charts

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
    changes: VersionChanges | None = None  # the served version's release note
    periods: str | None = None  # the periods the served version actually holds

    @property
    def held(self) -> VersionChanges | None:
        """A newer version awaiting the owner's approval (not served)."""
        return self.facts.held

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


def _same(key: str, result_value: object, suite_value: object) -> bool:
    """A result's kwarg equals the suite's (a result carries a row condition as GX's parsed dict)."""
    if key == "row_condition":
        from sector_datasets.gate.outcomes import condition_text

        return condition_text(result_value) == condition_text(suite_value)
    return result_value == suite_value


def expectation_why(suite: dict | None, result: dict) -> str | None:
    """The reason the suite gives for an expectation (its ``meta.why``), matched by type and kwargs."""
    candidates = [
        e for e in (suite or {}).get("expectations") or []
        if e.get("type") == result.get("type") and (e.get("kwargs") or {}).get("column") == (result.get("kwargs") or {}).get("column")
    ]
    if len(candidates) > 1:
        kwargs = result.get("kwargs") or {}
        candidates = [e for e in candidates if all(_same(k, kwargs.get(k), v) for k, v in (e.get("kwargs") or {}).items())] or candidates[:1]
    if not candidates:
        return None
    meta = candidates[0].get("meta") or {}
    why = meta.get("why") or meta.get("notes") or None
    # Baseline expectations are generated from the dataset's contract (gate.contract_suite).
    return f"{why} (hợp đồng / contract)" if why and meta.get("origin") == "contract" else why


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
        if (xlsx := layout.xlsx_file(current, facts.dataset_id)).is_file():  # not in versions published before it
            links["xlsx"] = rel_url(xlsx, from_dir)
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
        changes=changes_of(facts.published.metadata) if facts.published else None,
        periods=period_text(facts.published.metadata) if facts.published else None,
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


def _changes_json(c: VersionChanges | None) -> dict | None:
    if c is None:
        return None
    return {
        "version": c.version, "note": {"vi": c.note_vi, "en": c.note_en}, "action": c.action,
        "added": c.added, "removed": c.removed, "changed": c.changed,
        "series_added": list(c.series_added), "periods_added": list(c.periods_added),
        "approval": {"status": c.approval_status, "by": c.approved_by, "at": c.approved_at} if c.approval_status else None,
        "reasons": [{"vi": vi, "en": en} for vi, en in c.reasons],
    }


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
                "changes": _changes_json(d.changes),
                "held": _changes_json(d.held),
            }
            for d in view.datasets
        ],
    }

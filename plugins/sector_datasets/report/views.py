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
from sector_datasets.report.explain import FailureExplanation, FixAt, explain, fix_at
from sector_datasets.report.metadata_quality import MAX_POINTS as MQA_MAX, Assessment, sector_average
from sector_datasets.report.maturity_score import (
    CriterionResult,
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


#: Who can meet a criterion (maturity.WHO), as the pages name them.
WHO_VI = {"owner": "Đơn vị chủ quản", "engineer": "Kỹ sư dữ liệu của nền tảng", "publisher": "Đơn vị cung cấp nguồn"}


@dataclass
class DatasetView:
    facts: DatasetFacts
    maturity: DatasetMaturity
    freshness: Freshness
    licence: Licence
    gate: str  # passed / failed / not run
    latest: GateRun | None
    failures: list[FailureExplanation]
    fix: FixAt | None = None  # where a failure is fixed and whom to ask
    links: dict[str, str] = field(default_factory=dict)
    spark: Any = None
    changes: VersionChanges | None = None  # the served version's release note
    periods: str | None = None  # the periods the served version actually holds
    metadata_quality: Assessment | None = None  # its DCAT record, scored as the EU MQA does (set by write_site)

    @property
    def held(self) -> VersionChanges | None:
        """A newer version awaiting the owner's approval (not served)."""
        return self.facts.held

    @property
    def id(self) -> str:
        return self.facts.dataset_id

    @property
    def next_step(self) -> CriterionResult | None:
        return self.maturity.next_step

    @property
    def next_who(self) -> str:
        """Who can take the next step, by name: the sector owner and contact, the source's publisher."""
        step = self.next_step
        if step is None or self.fix is None:
            return ""
        if step.who == "owner":
            return f"{WHO_VI['owner']}: {self.fix.organisation} ({self.fix.contact})"
        if step.who == "publisher":
            names = sorted({s.publisher for s in self.fix.sources if s.publisher.strip()})
            if names:
                return f"{WHO_VI['publisher']}: {', '.join(names)} — qua {self.fix.organisation} ({self.fix.contact})"
            return f"Đơn vị quản lý bộ dữ liệu đầu vào — qua {self.fix.organisation} ({self.fix.contact})"
        return WHO_VI["engineer"]


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
    def next_step(self) -> tuple[CriterionResult, int] | None:
        """The step that would raise the sector: among datasets below the sector's next level,
        the most common first unmet criterion (lowest level first), with how many datasets need it."""
        nxt = self.maturity.next_level
        steps = [d.next_step for d in self.datasets if d.next_step and (nxt is None or d.maturity.level < nxt)]
        if not steps:
            return None
        counts: dict[str, list[CriterionResult]] = {}
        for step in steps:
            counts.setdefault(step.id, []).append(step)
        best = min(counts.values(), key=lambda group: (group[0].level, -len(group)))
        return best[0], len(best)

    @property
    def metadata_quality(self) -> float | None:
        """Mean metadata-quality score (of 405) of the sector's published datasets."""
        return sector_average(d.metadata_quality for d in self.datasets if d.metadata_quality is not None)

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
    """The reason the suite gives for an expectation, in Vietnamese where the suite has it
    (``meta.why_vi``, else ``meta.why``), matched by type and kwargs."""
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
    why = meta.get("why_vi") or meta.get("why") or meta.get("notes") or None
    # Baseline expectations are generated from the dataset's contract (gate.contract_suite).
    return f"{why} (hợp đồng dữ liệu)" if why and meta.get("origin") == "contract" else why


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


def dataset_view(settings: Settings, facts: DatasetFacts, now: datetime, from_dir: Path, sector: Sector | None = None) -> DatasetView:
    latest = facts.latest_gate
    failures = [explain(r, facts, expectation_why(facts.suite, r)) for r in latest.failures] if latest else []
    runs = facts.gate_runs[-TREND_RUNS:]
    return DatasetView(
        facts=facts,
        maturity=score_dataset(facts, now),
        freshness=freshness_of(facts, now),
        licence=parse_licence(facts.licence),
        gate=gate_status(latest),
        latest=latest,
        failures=failures,
        fix=fix_at(facts, sector.owner.organisation.vi, sector.owner.contact) if sector else None,
        links=dataset_links(settings, facts, from_dir),
        spark=charts.row_count_sparkline([charts.CountPoint(g.run_id, g.row_count, g.success, g.started_at) for g in runs]),
        changes=changes_of(facts.published.metadata) if facts.published else None,
        periods=period_text(facts.published.metadata) if facts.published else None,
    )


def sector_view(settings: Settings, facts: SectorFacts, now: datetime) -> SectorView:
    page_dir = layout.sector_reports_dir(settings.reports_dir, facts.sector.id)
    views = [dataset_view(settings, f, now, page_dir, facts.sector) for f in facts.datasets]
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
    """Pass rate per run, one point per run of the sector.

    A run whose source did not change skips the gate (``stages`` "unchanged") and writes no gate
    result, so counting gate results alone drew 3 points for 6 runs. Each run counts, for every
    dataset gated so far, its result in that run or else its latest earlier one (carried over,
    counted in ``carried``).
    """
    epoch = datetime.min.replace(tzinfo=UTC)
    gated: dict[str, dict[str, GateRun]] = {}  # run id -> dataset -> its gate in that run
    for ds in facts.datasets:
        for g in ds.gate_runs:
            gated.setdefault(g.run_id, {})[ds.dataset_id] = g
    moments = {r.run_id: r.started_at for r in facts.runs}
    for run_id, gates in gated.items():  # gate results of a run whose events were pruned
        moments.setdefault(run_id, min((g.started_at for g in gates.values() if g.started_at), default=None))
    ordered = sorted(moments, key=lambda run_id: (moments[run_id] or epoch, run_id))
    state: dict[str, bool] = {}
    points = []
    for run_id in ordered:
        now_gated = gated.get(run_id, {})
        state.update({ds: g.success for ds, g in now_gated.items()})
        if not state:
            continue  # nothing gated yet (a first run that failed before its gates)
        points.append(charts.RunPoint(
            run_id, moments[run_id], sum(state.values()), len(state), carried=len(state) - len(now_gated),
        ))
    return points[-TREND_RUNS:]


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
                "failed_rows": {f.label: f.rows_vi for f in d.failures if f.rows_vi},
                "level": d.maturity.level,
                "next_step": ({"criterion": d.next_step.id, "todo": {"vi": d.next_step.todo_vi, "en": d.next_step.todo_en},
                               "who": d.next_step.who} if d.next_step else None),
                "criteria": {r.id: {"met": r.met, "detail": r.detail} for r in d.maturity.results},
                "published_version": d.facts.published.version if d.facts.published else None,
                "rows": d.facts.published.row_count if d.facts.published else None,
                "freshness": d.freshness.status,
                "data_until": d.freshness.period.value if d.freshness.period else None,
                "licence": d.facts.licence,
                "changes": _changes_json(d.changes),
                "held": _changes_json(d.held),
                "metadata_quality": d.metadata_quality.as_json() if d.metadata_quality else None,
            }
            for d in view.datasets
        ],
        "metadata_quality": {"mean": round(view.metadata_quality, 1), "max": MQA_MAX} if view.metadata_quality is not None else None,
    }

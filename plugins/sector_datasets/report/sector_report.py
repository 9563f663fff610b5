"""Per-run sector report, and the entry points the pipeline and the CLI call.

``write_sector_report`` (the DAG's ``report`` task, at the end of every sector run) writes what
each stage of the run did to ``reports/<sector>/runs/<run>.html``, then regenerates the published
site with ``write_index``: every sector scorecard (``reports/<sector>/index.html``), the national
overview (``reports/index.html``), the per-run validation pages, the data dictionaries, each
dataset's ``datapackage.json`` and the DCAT catalog (``exports/catalog.jsonld``).

Reads only files (event log, gate results, export metadata, suites), never the warehouse, so it
can be rendered even when the warehouse is locked or the run failed early. ``publish_docs`` is
the exception: ``dbt docs generate`` reads the warehouse catalog under the writer lock.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sector_datasets.state import layout, runlog
from sector_datasets.gate.verdicts import load_verdict
from sector_datasets.registry import Registry
from sector_datasets.settings import Settings
from sector_datasets.report._files import atomic_write_text, rel_url
from sector_datasets.report.dbt_docs import generate_dbt_docs
from sector_datasets.report.formatting import fmt_time
from sector_datasets.report.scorecard import environment, write_site

log = logging.getLogger(__name__)



@dataclass
class DatasetRow:
    id: str
    title_vi: str
    title_en: str
    gate: str  # passed / failed / not run
    verdict: dict | None
    published_version: int | None
    row_count: int | None
    published_at: str | None
    export_dir: str | None
    failures: list[dict] = field(default_factory=list)
    message: str = ""


def current_metadata(settings: Settings, sector_id: str, dataset_id: str) -> dict | None:
    meta = layout.metadata_file(layout.current_link(settings.exports_dir, sector_id, dataset_id))
    return json.loads(meta.read_text()) if meta.exists() else None


def dataset_rows(settings: Settings, registry: Registry, sector_id: str, run_id: str, events: list[dict]) -> list[DatasetRow]:
    sector = registry.sector(sector_id)
    gate_events = {e["target"]: e for e in events if e["stage"] == "gate"}
    # A blocked publish (failed) or a held one says why and how to decide, next to the dataset.
    publish_notes = {e["target"]: e.get("message") or "" for e in events if e["stage"] == "publish"
                     and (e["status"] == "failed" or (e.get("result") or {}).get("held"))}
    rows = []
    for ds in sector.datasets:
        verdict = load_verdict(settings, sector_id, ds.id, run_id)
        meta = current_metadata(settings, sector_id, ds.id)
        if verdict is None:
            gate = "not run"
        else:
            gate = "passed" if verdict.get("success") else "failed"
        failures = [r for r in (verdict or {}).get("results", []) if not r.get("success")]
        event = gate_events.get(ds.id, {})
        rows.append(
            DatasetRow(
                id=ds.id,
                title_vi=ds.title.vi,
                title_en=ds.title.en,
                gate=gate,
                verdict=verdict,
                published_version=meta["version"] if meta else None,
                row_count=meta["row_count"] if meta else None,
                published_at=meta["published_at"] if meta else None,
                export_dir=str(layout.current_link(settings.exports_dir, sector_id, ds.id).resolve()) if meta else None,
                failures=failures,
                message=(verdict or {}).get("error") or (event.get("message") if event.get("status") == "failed" else "")
                or publish_notes.get(ds.id, ""),
            )
        )
    return rows


def write_sector_report(settings: Settings, registry: Registry, sector_id: str, run_id: str) -> Path:
    """Write this run's report, regenerate the site; returns the sector scorecard's path.

    With ``settings.render_site`` off (the DAGs of one `cli run` batch), the run page only: the
    CLI renders the site once after the batch.
    """
    write_run_report(settings, registry, sector_id, run_id)
    if not settings.render_site:
        log.info("sector %s: run report written; the site is rendered once after the batch", sector_id)
        return layout.scorecard_page(settings.reports_dir, sector_id)
    site = write_site(settings, registry, current_run=(sector_id, run_id))
    log.info("sector %s: scorecard regenerated (%d sectors)", sector_id, len(site.views))
    return layout.scorecard_page(settings.reports_dir, sector_id)


def write_run_report(settings: Settings, registry: Registry, sector_id: str, run_id: str) -> Path:
    sector = registry.sector(sector_id)
    events = runlog.read_events(settings.home, sector_id, run_id)
    rows = dataset_rows(settings, registry, sector_id, run_id, events)
    failed_events = [e for e in events if e["status"] == "failed"]
    run_file = layout.run_page(settings.reports_dir, sector_id, run_id)
    html = environment().get_template("sector_report.html.j2").render(
        sector=sector,
        run_id=run_id,
        generated_at=fmt_time(datetime.now(UTC)),
        events=events,
        failed_events=failed_events,
        datasets=rows,
        published=sum(1 for r in rows if r.published_version is not None),
        validation_links={
            r.id: rel_url(layout.validation_page(settings.reports_dir, sector_id, r.id, run_id), run_file.parent)
            for r in rows
            if r.verdict is not None
        },
    )
    return atomic_write_text(run_file, html)


def write_index(settings: Settings, registry: Registry, *, dbt_docs: bool = False) -> Path:
    """Regenerate the whole published site (all sectors); with ``dbt_docs``, refresh dbt docs first.

    Returns the national overview's path (``reports/index.html``).
    """
    if dbt_docs:
        generate_dbt_docs(settings)
    write_site(settings, registry)
    return layout.overview_page(settings.reports_dir)


def publish_docs(settings: Settings, registry: Registry) -> Path:
    """``dbt docs generate`` into ``reports/dbt-docs/`` and relink every page to it (≈25 s; ≈1 min
    when dbt has to parse the project from scratch)."""
    return write_index(settings, registry, dbt_docs=True)

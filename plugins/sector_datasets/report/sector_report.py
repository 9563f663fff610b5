"""Per-run sector report: what each stage did, each dataset's gate result and published version.

Reads only files (event log, gate results, export metadata), never the warehouse, so it can be
rendered even when the warehouse is locked or the run failed early.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import runlog
from ..quality import load_verdict
from ..registry import Registry
from ..settings import Settings

_TEMPLATES = Path(__file__).parent / "templates"


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


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]))


def current_metadata(settings: Settings, sector_id: str, dataset_id: str) -> dict | None:
    meta = settings.exports_dir / sector_id / dataset_id / "current" / "metadata.json"
    return json.loads(meta.read_text()) if meta.exists() else None


def dataset_rows(settings: Settings, registry: Registry, sector_id: str, run_id: str, events: list[dict]) -> list[DatasetRow]:
    sector = registry.sector(sector_id)
    gate_events = {e["target"]: e for e in events if e["stage"] == "gate"}
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
                export_dir=str((settings.exports_dir / sector_id / ds.id / "current").resolve()) if meta else None,
                failures=failures,
                message=(verdict or {}).get("error") or (event.get("message") if event.get("status") == "failed" else ""),
            )
        )
    return rows


def write_sector_report(settings: Settings, registry: Registry, sector_id: str, run_id: str) -> Path:
    sector = registry.sector(sector_id)
    events = runlog.read_events(settings.home, sector_id, run_id)
    rows = dataset_rows(settings, registry, sector_id, run_id, events)
    failed_events = [e for e in events if e["status"] == "failed"]
    html = _environment().get_template("sector_report.html.j2").render(
        sector=sector,
        run_id=run_id,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        events=events,
        failed_events=failed_events,
        datasets=rows,
        published=sum(1 for r in rows if r.published_version is not None),
    )
    out_dir = settings.reports_dir / sector_id
    run_file = out_dir / "runs" / f"{runlog.safe_run_id(run_id)}.html"
    run_file.parent.mkdir(parents=True, exist_ok=True)
    run_file.write_text(html, encoding="utf-8")
    latest = out_dir / "index.html"
    tmp = latest.with_suffix(".tmp")
    shutil.copyfile(run_file, tmp)
    tmp.replace(latest)
    write_index(settings, registry)
    return latest


def write_index(settings: Settings, registry: Registry) -> Path:
    sectors = []
    for sector in registry.sectors.values():
        published = sum(1 for ds in sector.datasets if current_metadata(settings, sector.id, ds.id))
        sectors.append({"sector": sector, "published": published, "declared": len(sector.datasets)})
    html = _environment().get_template("index.html.j2").render(
        sectors=sectors, generated_at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    path = settings.reports_dir / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path

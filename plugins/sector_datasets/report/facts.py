"""What the scorecard knows about each dataset, gathered from files only — never the warehouse.

Every fact comes from a file an earlier stage wrote, so the scorecard can be rendered while a
pipeline holds the warehouse, after a run that failed early, or from a copy of the folders:

=====================================================  =========================================
file                                                   facts
=====================================================  =========================================
``include/sectors/<sector>.yml`` (registry)            titles, update frequency, licence, primary
                                                       key, personal-data tags, sources, inputs
``exports/<sector>/<dataset>/current/metadata.json``   published version, rows, columns and their
                                                       descriptions (the contract), published files
``exports/<sector>/<dataset>/vNNNN/metadata.json``     the version history; a newer version than
                                                       ``current`` awaiting approval (:mod:`.changes`)
``quality/<sector>/<dataset>/<run>.json``              every gate result, one per run (kept)
registry contract + ``expectations/<suite>.json``     the gate's suite: size, reason for each check
``runs/<sector>/<run>/events.jsonl``                   what each stage of each run did
``include/scenarios/<sector>/<id>.sql``                usage scenarios, run on the exports'
                                                       ``catalog.duckdb`` (:mod:`.scenario_runs`)
=====================================================  =========================================
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sector_datasets.state import layout, runlog
from sector_datasets.gate.contract_suite import combined_suite
from sector_datasets.registry import Dataset, Registry, Sector
from sector_datasets.settings import Settings
from sector_datasets.report.changes import VersionChanges, changes_of, newest_awaiting, read_json
from sector_datasets.report.scenario_runs import ScenarioRun, run_scenarios

log = logging.getLogger(__name__)


def parse_time(value: str | datetime | None) -> datetime | None:
    """ISO 8601 → aware UTC datetime (naive values are UTC, as the pipeline writes them)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str = ""
    description_vi: str = ""
    unit: str | None = None


@dataclass(frozen=True)
class Version:
    version: int
    published_at: datetime | None
    row_count: int | None
    run_id: str
    changes: VersionChanges | None = None  # its release note (metadata.json "changes")


@dataclass(frozen=True)
class Published:
    """The dataset's current published version, as its export folder describes it."""

    version: int
    published_at: datetime | None
    row_count: int | None
    run_id: str
    folder: Path  # the immutable vNNNN folder 'current' points at
    files: dict[str, bool]  # "csv" / "parquet" / "metadata" → present
    columns: tuple[Column, ...]
    validation: dict
    metadata: dict


@dataclass(frozen=True)
class GateRun:
    """One gate result of one run (``quality/<sector>/<dataset>/<run>.json``)."""

    run_id: str
    started_at: datetime | None
    success: bool
    evaluated: int
    failed: int
    row_count: int | None
    error: str | None = None
    results: tuple[dict, ...] = ()
    path: Path | None = None

    @property
    def failures(self) -> tuple[dict, ...]:
        return tuple(r for r in self.results if not r.get("success"))


@dataclass(frozen=True)
class SourceRef:
    id: str
    title: str
    publisher: str
    url: str
    licence: str
    provenance: str
    known_issues: tuple[str, ...] = ()
    # Every file the source was read from (one per release; just ``url`` for a single file).
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatasetFacts:
    sector_id: str
    dataset_id: str
    title_vi: str
    title_en: str
    update_frequency: str
    licence: str
    primary_key: tuple[str, ...]
    suite_name: str
    description_vi: str = ""
    description_en: str = ""
    grain: str = ""
    coverage: str = ""
    model_name: str = ""
    pii_columns: tuple[str, ...] = ()
    quasi_columns: tuple[str, ...] = ()
    pii_handling: str = "drop"  # registry personal_data.pii_handling: "drop" or "hash" (salted SHA-256)
    sources: tuple[SourceRef, ...] = ()
    inputs: tuple[str, ...] = ()
    unpublished_inputs: tuple[str, ...] = ()
    suite: dict | None = None  # contract baseline + rule file (gate.contract_suite); None if unreadable
    published: Published | None = None
    versions: tuple[Version, ...] = ()  # oldest first
    gate_runs: tuple[GateRun, ...] = ()  # oldest first
    scenarios: tuple[ScenarioRun, ...] = ()  # usage scenarios that use this dataset
    held: VersionChanges | None = None  # a newer version written but awaiting the owner's approval

    @property
    def suite_size(self) -> int | None:
        return None if self.suite is None else len(self.suite.get("expectations") or [])

    @property
    def latest_gate(self) -> GateRun | None:
        return self.gate_runs[-1] if self.gate_runs else None

    @property
    def last_confirmed_at(self) -> datetime | None:
        """When the published data was last known to match its source: its publication, or a
        later run whose gate passed (that run re-fetched the source and found it valid)."""
        if self.published is None:
            return None
        moments = [self.published.published_at] + [g.started_at for g in self.gate_runs if g.success]
        moments = [m for m in moments if m is not None]
        return max(moments) if moments else None


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    folder: str  # layout.run_folder_name(run_id)
    started_at: datetime | None
    finished_at: datetime | None
    failed_events: tuple[dict, ...] = ()


@dataclass
class SectorFacts:
    sector: Sector
    datasets: list[DatasetFacts]
    runs: list[RunSummary] = field(default_factory=list)  # oldest first

    @property
    def latest_run(self) -> RunSummary | None:
        return self.runs[-1] if self.runs else None


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


def read_published(exports_dir: Path, sector_id: str, dataset_id: str) -> Published | None:
    current = layout.current_link(exports_dir, sector_id, dataset_id)
    meta = read_json(layout.metadata_file(current))
    if meta is None:
        return None
    folder = current.resolve()
    return Published(
        version=int(meta.get("version") or 0),
        published_at=parse_time(meta.get("published_at")),
        row_count=meta.get("row_count"),
        run_id=str(meta.get("run_id") or ""),
        folder=folder,
        files={
            "csv": layout.csv_file(folder, dataset_id).is_file(),
            "parquet": layout.parquet_file(folder, dataset_id).is_file(),
            "metadata": True,
        },
        columns=tuple(
            Column(
                name=c.get("name", ""),
                type=c.get("type", ""),
                description=(c.get("description") or "").strip(),
                description_vi=(c.get("description_vi") or "").strip(),
                unit=c.get("unit"),
            )
            for c in meta.get("columns") or []
        ),
        validation=meta.get("validation") or {},
        metadata=meta,
    )


def read_versions(exports_dir: Path, sector_id: str, dataset_id: str) -> tuple[Version, ...]:
    out = []
    for number, folder in layout.version_dirs(layout.dataset_dir(exports_dir, sector_id, dataset_id)):
        meta = read_json(layout.metadata_file(folder)) or {}
        out.append(
            Version(
                version=int(meta.get("version") or number),
                published_at=parse_time(meta.get("published_at")),
                row_count=meta.get("row_count"),
                run_id=str(meta.get("run_id") or ""),
                changes=changes_of(meta),
            )
        )
    return tuple(sorted(out, key=lambda v: v.version))


def read_gate_runs(home: Path, sector_id: str, dataset_id: str) -> tuple[GateRun, ...]:
    base = layout.verdicts_dir(home, sector_id, dataset_id)
    runs = []
    if base.is_dir():
        for path in base.glob("*.json"):
            data = read_json(path)
            if not data:
                continue
            runs.append(
                GateRun(
                    run_id=str(data.get("run_id") or path.stem),
                    started_at=parse_time(data.get("started_at")),
                    success=bool(data.get("success")),
                    evaluated=int(data.get("evaluated") or 0),
                    failed=int(data.get("failed") or 0),
                    row_count=data.get("row_count"),
                    error=data.get("error"),
                    results=tuple(data.get("results") or ()),
                    path=path,
                )
            )
    epoch = datetime.min.replace(tzinfo=UTC)
    return tuple(sorted(runs, key=lambda g: (g.started_at or epoch, g.run_id)))


def read_runs(home: Path, sector_id: str) -> list[RunSummary]:
    base = layout.runs_dir(home, sector_id)
    out = []
    if base.is_dir():
        for folder in base.iterdir():
            events = runlog.read_events(home, sector_id, folder.name) if folder.is_dir() else []
            if not events:
                continue
            times = [t for t in (parse_time(e.get("at")) for e in events) if t]
            out.append(
                RunSummary(
                    run_id=events[0].get("run_id") or folder.name,
                    folder=folder.name,
                    started_at=min(times) if times else None,
                    finished_at=max(times) if times else None,
                    failed_events=tuple(e for e in events if e.get("status") == "failed"),
                )
            )
    epoch = datetime.min.replace(tzinfo=UTC)
    return sorted(out, key=lambda r: (r.started_at or epoch, r.folder))


def read_suite(settings: Settings, dataset: Dataset) -> dict | None:
    try:  # the gate's suite as JSON: contract baseline (meta.origin "contract") + rule file
        return combined_suite(dataset, settings.expectations_dir, settings.warehouse_kind)[0]
    except ValueError:  # a broken rule file: the gate names it; the report shows what it has
        return None


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------


def dataset_facts(
    settings: Settings, registry: Registry, sector: Sector, dataset_id: str, scenarios: list[ScenarioRun] | None = None
) -> DatasetFacts:
    ds = next(d for d in sector.datasets if d.id == dataset_id)
    sources = tuple(
        SourceRef(s.id, s.title, s.publisher, s.link, s.licence, s.provenance, tuple(s.known_issues), tuple(s.urls))
        for s in (registry.sources[i] for i in ds.sources if i in registry.sources)
    )
    unpublished = tuple(
        i for i in ds.inputs
        if i not in registry.datasets
        or read_published(settings.exports_dir, registry.datasets[i][0].id, i) is None
    )
    published = read_published(settings.exports_dir, sector.id, ds.id)
    versions = read_versions(settings.exports_dir, sector.id, ds.id)
    return DatasetFacts(
        sector_id=sector.id,
        dataset_id=ds.id,
        title_vi=ds.title.vi,
        title_en=ds.title.en,
        description_vi=ds.description.vi.strip(),
        description_en=ds.description.en.strip(),
        grain=ds.grain,
        coverage=ds.coverage.strip(),
        model_name=ds.model_name,
        update_frequency=ds.update_frequency,
        licence=ds.licence,
        primary_key=tuple(ds.primary_key),
        suite_name=ds.suite_name,
        pii_columns=tuple(ds.personal_data.pii),
        quasi_columns=tuple(ds.personal_data.quasi),
        pii_handling=getattr(ds.personal_data, "pii_handling", "drop"),
        sources=sources,
        inputs=tuple(ds.inputs),
        unpublished_inputs=unpublished,
        suite=read_suite(settings, ds),
        published=published,
        versions=versions,
        gate_runs=read_gate_runs(settings.home, sector.id, ds.id),
        scenarios=tuple(scenarios or ()),
        # from the versions just read, not a second pass over their metadata files
        held=newest_awaiting([(v.version, v.changes) for v in versions], published.version if published else None),
    )


def sector_facts(settings: Settings, registry: Registry, sector: Sector, scenarios: dict[str, list[ScenarioRun]]) -> SectorFacts:
    return SectorFacts(
        sector=sector,
        datasets=[dataset_facts(settings, registry, sector, ds.id, scenarios.get(ds.id)) for ds in sector.datasets],
        runs=read_runs(settings.home, sector.id),
    )


def all_facts(settings: Settings, registry: Registry) -> dict[str, SectorFacts]:
    scenarios = run_scenarios(settings, registry.sectors.values())
    return {sid: sector_facts(settings, registry, sector, scenarios) for sid, sector in registry.sectors.items()}

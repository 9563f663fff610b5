"""The stage entry points: extract → load → transform → gate → publish → report.

DAG tasks, the CLI and the tests all call these functions; each takes ids and small
JSON-serialisable records (what Airflow passes between tasks through XCom) and returns one.
Each stage records its outcome in the run's event log, success or failure, so the report can
say what failed and where.

Inside a stage the incoming record is parsed once into its typed record (``LandingManifest``,
``BuildResult``, ``GateVerdict``); each stage returns its typed record's ``to_dict()`` plus a
``summary`` line for the run log.

Idempotent reruns (see :mod:`sector_datasets.recovery`): load decides whether anything changed
since the last run whose datasets are all published (a cross-sector run, which has no load,
decides in transform). If nothing did, load loads nothing, and transform, gate and publish return
at once the record :func:`_skipped` makes — their own fields, the run's
:class:`~sector_datasets.recovery.Unchanged` record (``reason``, ``since_run``, the served facts
of every dataset) and ``skipped: true, unchanged: true`` (logged with status ``skipped``); the
next stage reads it back with :func:`_unchanged_in`. The run succeeds and publishes nothing new.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sector_datasets.state import runlog
from sector_datasets.registry import Registry, load_registry
from sector_datasets.settings import Settings, get_settings

if TYPE_CHECKING:  # the stages import their modules when they run: DAG files parse cheaply
    from sector_datasets.records import JsonRecord
    from sector_datasets.recovery import Unchanged

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


class GateFailed(RuntimeError):
    """A dataset's expectation suite failed; nothing of that dataset was published."""


class StageError(RuntimeError):
    pass


def _context() -> tuple[Settings, Registry]:
    settings = get_settings()
    return settings, load_registry(settings.registry_dir)


def _recorded(stage: str) -> Callable[[F], F]:
    """Record the stage's outcome in the run's event log; re-raise failures unchanged."""

    def decorate(func: F) -> F:
        @wraps(func)
        def wrapper(sector_id: str, target: str, run_id: str, *args: Any, **kwargs: Any) -> Any:
            settings = get_settings()
            try:
                result = func(sector_id, target, run_id, *args, **kwargs)
            except Exception as exc:
                from sector_datasets.secret_handling import redact_text

                message = redact_text(f"{type(exc).__name__}: {exc}")
                runlog.record(settings.home, sector_id, run_id, stage, target, "failed", message)
                raise
            summary = result.get("summary", "") if isinstance(result, dict) else ""
            status = "skipped" if isinstance(result, dict) and result.get("skipped") else "success"
            runlog.record(settings.home, sector_id, run_id, stage, target, status, summary, result=result)
            return result

        return wrapper  # type: ignore[return-value]

    return decorate


def _outcome(record: JsonRecord, summary: str) -> dict:
    """What a stage returns (one XCom) and the run log keeps: its typed record plus a summary line."""
    return {**record.to_dict(), "summary": summary}


def _skipped(unchanged: Unchanged, summary: str, **fields: Any) -> dict:
    """What transform, gate and publish return for an unchanged run, all in the same shape."""
    return {**fields, **unchanged.to_dict(), "skipped": True, "unchanged": True, "summary": summary}


def _unchanged_in(record: dict) -> Unchanged | None:
    """The run's Unchanged record inside the previous stage's record, or None if that stage ran."""
    from sector_datasets.recovery import Unchanged

    return Unchanged.from_dict(record) if record.get("unchanged") else None


@_recorded("extract")
def extract(sector_id: str, source_id: str, run_id: str, *, base_url: str | None = "") -> dict:
    """Fetch one source (live, or replayed from the snapshot directory) into the landing zone.

    ``base_url``: a running replay server's URL (or None: live) from :func:`.stage_groups.extract_sources`;
    by default this call starts its own.
    """
    from sector_datasets.extract import extract_source, replay_base_url

    settings, registry = _context()
    sector = registry.sector(sector_id)
    source = next((s for s in registry.sources_for(sector) if s.id == source_id), None)
    if source is None:
        raise StageError(f"sector {sector_id!r} has no source {source_id!r}")
    if base_url != "":
        manifest = extract_source(settings, sector_id, source, run_id, base_url)
    else:
        with replay_base_url(settings) as own_url:
            manifest = extract_source(settings, sector_id, source, run_id, own_url)
    unchanged = f" ({len(manifest.not_modified)} not modified)" if manifest.not_modified else ""
    return _outcome(manifest, f"{len(manifest.files)} page(s){unchanged}, sha256 {manifest.sha256[:12]}")


@_recorded("load")
def load(sector_id: str, target: str, run_id: str, manifests: list[dict], *, force: bool = False) -> dict:
    """Load this run's landings into ``raw.<source_id>`` tables (one writer transaction each).

    First decides whether the run changes anything (:func:`recovery.decide`); if not, nothing is
    loaded and the later stages short-circuit.
    """
    from sector_datasets import recovery
    from sector_datasets.extract.landing import LandingManifest
    from sector_datasets.warehouse import get_backend
    from sector_datasets.load.raw import LoadError, load_source
    from sector_datasets.load.source_contract import SourceContractError

    settings, registry = _context()
    sector = registry.sector(sector_id)
    landed = [LandingManifest.from_dict(m) for m in manifests]
    results = []
    # source id -> bilingual message: payloads that broke their source's contract. Not loaded
    # (raw keeps the last good payload); the gates of the datasets they feed fail with it.
    violations: dict[str, str] = {}
    with get_backend(settings).connect_writer(f"load {sector_id}") as con:
        decision = recovery.decide(
            con, settings, registry, sector, run_id, recovery.source_inputs(manifests),
            force=force or settings.force_rebuild,
        )
        to_load = [] if decision.unchanged else landed  # an unchanged run loads nothing
        for manifest in to_load:
            source = registry.sources[manifest.source_id]
            files = [f["name"] for f in manifest.files]
            try:
                result = load_source(
                    con, source, Path(manifest.path), files, run_id, manifest.sha256, sector_id=sector_id
                )
            except SourceContractError as exc:
                log.error("sector %s: source %s broke its contract, not loaded: %s", sector_id, source.id, exc)
                violations[source.id] = str(exc)
                continue
            except LoadError as exc:
                raise LoadError(f"sector {sector_id!r}, source {source.id!r}: {exc}") from exc
            log.info("sector %s: loaded %s rows into %s", sector_id, result.rows, result.table)
            results.append(result)
        fingerprint = decision.fingerprint
        if violations:
            fingerprint = recovery.reject_sources(con, sector_id, run_id, sorted(violations)) or fingerprint
    summary = (
        f"unchanged, nothing loaded: {decision.reason}" if decision.unchanged
        else ", ".join(f"{r.table}={r.rows}" for r in results)
    )
    if violations:
        summary += "; contract violated, not loaded: " + "; ".join(violations.values())
    return {
        "loads": [r.to_dict() for r in results], "unchanged": decision.unchanged, "reason": decision.reason,
        "fingerprint": fingerprint, "violations": violations, "summary": summary,
    }


@_recorded("transform")
def transform(
    sector_id: str, target: str, run_id: str, *, force: bool = False, source_violations: dict[str, str] | None = None
) -> dict:
    """One ``dbt build`` of the sector's marts into the audit schema — or nothing, if unchanged.

    Reads this run's decision from the warehouse (made by load; a cross-sector run, which has no
    load, decides here from the checksums of the published inputs it combines).
    ``source_violations`` (load's ``violations``) are carried in the result to the gates.
    """
    from sector_datasets import recovery
    from sector_datasets.warehouse import get_backend
    from sector_datasets.transform.build import BuildResult, build_sector

    settings, registry = _context()
    sector = registry.sector(sector_id)
    backend = get_backend(settings)
    with backend.connect_writer(f"transform decision {sector_id}") as con:
        decision = recovery.recorded_decision(con, sector_id, run_id)
        if decision is None and not registry.sources_for(sector):
            inputs = recovery.dataset_inputs(con, registry, sector, settings.exports_dir)
            decision = recovery.decide(
                con, settings, registry, sector, run_id, inputs, force=force or settings.force_rebuild
            )
    unchanged = decision.as_unchanged() if decision is not None else None
    if unchanged is not None:
        nothing_built = BuildResult(sector_id=sector_id, run_id=run_id, success=True, elapsed_s=0.0)
        return _skipped(unchanged, f"skipped, unchanged: {unchanged.reason}", **nothing_built.to_dict())
    shared = [s.id for s in registry.sectors.values() if s.kind == "reference"]
    with backend.build_lock(f"dbt build {sector_id}"):
        result = build_sector(settings, sector_id, run_id, shared_sector_ids=shared)
    if source_violations:
        result = dataclasses.replace(result, source_violations=dict(source_violations))
    if result.failures:
        # Datasets whose models built still go through their gates; the others fail there.
        log.warning("sector %s: dbt reported failures: %s", sector_id, result.failures)
    failed = ", ".join(result.failures) or "none"
    violated = f"; sources that broke their contract: {', '.join(result.source_violations)}" if source_violations else ""
    return _outcome(
        result,
        f"{sum(s == 'success' for s in result.models.values())}/{len(result.models)} models built; failures: {failed}"
        + violated,
    )


@_recorded("gate")
def gate(sector_id: str, dataset_id: str, run_id: str, build: dict) -> dict:
    """Validate the dataset's audit table with its expectation suite; raise GateFailed if it fails."""
    from sector_datasets.gate.checks import failed_verdict
    from sector_datasets.gate.verdicts import store_verdict
    from sector_datasets.transform.build import BuildResult

    settings, registry = _context()
    sector, dataset = registry.dataset(dataset_id)
    unchanged = _unchanged_in(build)
    if unchanged is not None:
        return _skipped(
            unchanged,
            f"skipped, unchanged: passed its last gate in run {unchanged.since_run}; "
            f"serving v{unchanged.served(dataset_id).version}",
            dataset_id=dataset_id, sector_id=sector_id, run_id=run_id, suite_name=dataset.suite_name, success=None,
        )
    built = BuildResult.from_dict(build)
    violated = [built.source_violations[src] for src in dataset.sources if src in built.source_violations]
    if violated:
        # Fails at once, whatever dbt built: an audit table built over the rest of the sources
        # (or over the last good payload of this one) is not what this run was asked to publish.
        verdict = failed_verdict(dataset, sector_id, run_id, "source contract violated, not loaded: " + "; ".join(violated))
    else:
        verdict = _validate(settings, built, dataset, sector_id, run_id)
    store_verdict(settings, verdict)
    if not verdict.success:
        _mark(settings, sector_id, dataset_id, run_id, "gate_failed")
        raise GateFailed(verdict.failure_summary())
    summary = f"{verdict.evaluated} expectations passed on {verdict.row_count} rows"
    log.info("sector %s dataset %s: gate PASSED — %s (%.1f s)", sector_id, dataset_id, summary, verdict.duration_s)
    return _outcome(verdict, summary)


def _validate(settings: Settings, built, dataset, sector_id: str, run_id: str):
    """The dataset's audit table against its contract's baseline plus its rule file."""
    from sector_datasets.gate import validate_table
    from sector_datasets.gate.checks import failed_verdict, with_privacy_checks, with_upstream_keys
    from sector_datasets.gate.contract_suite import load_dataset_suite
    from sector_datasets.gate.suites import SuiteError
    from sector_datasets.warehouse import get_backend

    backend = get_backend(settings)
    with backend.read_lock(f"gate {dataset.id}"):
        if not built.model_built(dataset.model_name):
            status = built.models.get(dataset.model_name, "not selected")
            # Only this dataset's own lineage: another dataset's failure in the sector is not its cause.
            upstream = built.upstream_failures.get(dataset.model_name) or built.failures
            errors = "; ".join(f"{k}: {v}" for k, v in upstream.items())
            return failed_verdict(
                dataset, sector_id, run_id,
                f"dbt model {dataset.model_name!r} did not build in this run (status {status}); {errors}",
            )
        try:  # the contract's baseline expectations plus the optional rule file
            suite = load_dataset_suite(dataset, settings.expectations_dir, settings.warehouse_kind)
        except SuiteError as exc:
            return failed_verdict(dataset, sector_id, run_id, str(exc))
        verdict = validate_table(
            backend.gate_target(), "audit", dataset.model_name, suite,
            dataset_id=dataset.id, sector_id=sector_id, run_id=run_id, key_columns=tuple(dataset.primary_key),
        )
        if verdict.error is None:
            verdict = with_privacy_checks(settings, dataset, verdict)
            verdict = with_upstream_keys(verdict, built.upstream_key_warnings.get(dataset.model_name, {}))
    return verdict

def _mark(settings: Settings, sector_id: str, dataset_id: str, run_id: str, status: str, version: int | None = None) -> None:
    from sector_datasets.warehouse import get_backend
    from sector_datasets.recovery import mark_dataset

    with get_backend(settings).connect_writer(f"state {dataset_id}") as con:
        mark_dataset(con, sector_id, dataset_id, run_id, status, version=version)


@_recorded("publish")
def publish(sector_id: str, dataset_id: str, run_id: str, verdict: dict) -> dict:
    """Swap the gated audit table into ``curated`` as a new version and export it.

    Reviewed first (diff against the served version + publish policy, :mod:`.publish.wap`): a
    version that needs approval is written but held (``held: true``), a blocked one fails here.
    """
    from sector_datasets.gate import GateVerdict
    from sector_datasets.warehouse import get_backend
    from sector_datasets.publish.wap import publish_dataset
    from sector_datasets.recovery import mark_dataset

    unchanged = _unchanged_in(verdict)
    if unchanged is not None:
        served = unchanged.served(dataset_id)
        return _skipped(
            unchanged, f"skipped, unchanged: still serving v{served.version} ({served.row_count} rows)",
            sector_id=sector_id, dataset_id=dataset_id, run_id=run_id, version=served.version,
            row_count=served.row_count, checksum=served.checksum, new_version=False, export_dir=served.export_dir,
            served_version=served.version, pinned=served.pinned,
        )
    gated = GateVerdict.from_dict(verdict)
    if not gated.success:
        raise StageError(f"sector {sector_id!r} dataset {dataset_id!r}: refusing to publish without a passing gate")
    settings, registry = _context()
    sector, dataset = registry.dataset(dataset_id)
    validation = {
        "suite": gated.suite_name,
        "success": True,
        "evaluated": gated.evaluated,
        "failed": gated.failed,
        "validated_at": gated.started_at,
    }
    tags = dataset.personal_data
    salt = settings.pii_salt if tags.pii and tags.pii_handling == "hash" else None
    with get_backend(settings).connect_writer(f"publish {dataset_id}") as con:
        try:
            publication = publish_dataset(
                con, registry=registry, sector=sector, dataset=dataset, run_id=run_id,
                exports_dir=settings.exports_dir,
                validation=validation, keep_versions=settings.keep_versions, pii_salt=salt,
            )
        except Exception:
            mark_dataset(con, sector_id, dataset_id, run_id, "publish_failed")
            raise
        mark_dataset(con, sector_id, dataset_id, run_id, "published", version=publication.served_version)
    if publication.held:  # the policy wants a person: the served version stays, the report says how to decide
        from sector_datasets.state.approvals import awaiting_hint

        return _outcome(publication, f"v{publication.served_version} stays served; "
                        + awaiting_hint(dataset_id, publication.version))
    return _outcome(
        publication,
        f"v{publication.version} ({publication.row_count} rows)"
        + ("" if publication.new_version else ", unchanged")
        + (f"; v{publication.served_version} stays served (pinned)" if publication.pinned else "")
        + (f"; pruned v{', v'.join(map(str, publication.pruned_versions))}" if publication.pruned_versions else ""),
    )


@_recorded("report")
def report(sector_id: str, target: str, run_id: str) -> dict:
    """Render the sector's run report from the event log and the stored gate results."""
    from sector_datasets.report import write_sector_report

    settings, registry = _context()
    path = write_sector_report(settings, registry, sector_id, run_id)
    return {"report": str(path), "summary": str(path)}

"""Idempotent reruns: a sector run that would rebuild exactly what is already published stops early.

The load stage fingerprints what the run is about to build from — the sha256 of every landed
source payload (or, for a cross-sector run, the checksums of the published inputs it combines)
and the *code* that turns them into datasets: the sector's dbt files (everything in
``dbt_project/`` except other sectors' marts and intermediates), its expectation suites, its
registry file (plus the files declaring its reference sources, and ``_policy.yml``) and, for
datasets hashed with a salt, a one-way tag of the salt — and compares it with the fingerprint each
dataset's served version was last confirmed at (``meta.dataset_state``).

The run is *unchanged* when every dataset of the sector was published at this very fingerprint,
its last gate passed, and its served version is intact (table, view and exports). Then load
loads nothing and transform, gate and publish return at once with ``{"skipped": true,
"unchanged": true, "reason": ...}``; nothing new is published and the DAG run stays green. Any
other case runs fully, and the decision's ``reason`` says why (which sources changed, code
changed, which dataset's gate failed last time, or forced).

Tables (schema ``meta``, created with the others by :mod:`.state.tables`):

* ``meta.run_decisions`` — one row per sector run: fingerprint, inputs, unchanged?, reason.
* ``meta.dataset_state`` — one row per dataset: the fingerprint and run its served version was
  last confirmed at (status ``published``), or ``gate_failed`` / ``publish_failed``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from sector_datasets.transform.dbt_runner import NOT_PARSED_DIRS
from sector_datasets.records import JsonRecord
from sector_datasets.registry import POLICY_FILE, Registry, Sector
from sector_datasets.settings import Settings
from sector_datasets.state import layout
from sector_datasets.state.versions import publication, served_version

log = logging.getLogger(__name__)

# Bump when the platform changes what it publishes for the same inputs (e.g. new metadata
# fields); every sector then rebuilds once.
FINGERPRINT_VERSION = "1"


@dataclass(frozen=True)
class Served(JsonRecord):
    """The version a dataset serves, as the decision found it intact (:func:`_served_intact`).

    Every field has a default: a dataset the decision does not list serves nothing it knows of.
    """

    version: int | None = None
    row_count: int | None = None
    checksum: str | None = None
    pinned: bool = False
    export_dir: str | None = None


@dataclass(frozen=True)
class Unchanged(JsonRecord):
    """A sector run that changes nothing, as the stages after load carry it (from :class:`Decision`)."""

    reason: str
    since_run: str | None = None  # the run whose published state this run confirms
    datasets: dict[str, dict] = field(default_factory=dict)  # dataset id -> Served.to_dict()

    def served(self, dataset_id: str) -> Served:
        return Served.from_dict(self.datasets.get(dataset_id, {}))


@dataclass(frozen=True)
class Decision(JsonRecord):
    sector_id: str
    run_id: str
    fingerprint: str
    code_fingerprint: str
    inputs: dict[str, str]
    unchanged: bool
    reason: str
    since_run: str | None = None  # the run whose published state this run confirms (unchanged)
    # dataset id -> {version, row_count, checksum, pinned, export_dir} of the served version
    datasets: dict[str, dict] = field(default_factory=dict)

    def as_unchanged(self) -> Unchanged | None:
        """What transform, gate and publish carry when this run changes nothing; None if it rebuilds."""
        if not self.unchanged:
            return None
        return Unchanged(reason=self.reason, since_run=self.since_run, datasets=self.datasets)


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_files(settings: Settings, registry: Registry, sector: Sector) -> list[Path]:
    """Every file whose change can change what this sector publishes, in a stable order."""
    others = {s for s, other in registry.sectors.items() if s != sector.id and other.kind != "reference"}
    dbt = settings.dbt_project_dir
    files: list[Path] = []
    for path in sorted(dbt.rglob("*")):
        if not path.is_file():
            continue
        parts = path.relative_to(dbt).parts
        if parts[0] in NOT_PARSED_DIRS or any(p.startswith(".") for p in parts):
            continue
        if parts[0] == "models" and len(parts) > 2:
            if parts[1] == "exposures":  # documentation of usage scenarios, builds nothing
                continue
            if parts[1] in ("marts", "intermediate") and parts[2] in others:
                continue
        files.append(path)
    # A dataset's gate is its contract's baseline (from the registry file below, generated by
    # gate.contract_suite) plus an optional rule file: only the rule files that exist count, so a
    # dataset without one is not "changed" every run; adding one later changes the fingerprint.
    rules = (settings.expectations_dir / f"{ds.suite_name}.json" for ds in sector.datasets)
    files += [path for path in rules if path.is_file()]
    files.append(Path(__file__).parent / "gate" / "contract_suite.py")  # the generator itself: a new rule there re-gates
    registry_files = {registry.files[sector.id]}
    for ref in sector.reference_sources:
        owner = next(s for s, other in registry.sectors.items() if any(src.id == ref for src in other.sources))
        registry_files.add(registry.files[owner])
    files += sorted(registry_files)
    files.append(settings.registry_dir / POLICY_FILE)
    return files


def code_fingerprint(settings: Settings, registry: Registry, sector: Sector) -> str:
    digest = hashlib.sha256(f"sector-datasets fingerprint v{FINGERPRINT_VERSION}\n".encode())
    for path in code_files(settings, registry, sector):
        try:
            rel = path.relative_to(settings.repo_root)
        except ValueError:
            rel = path
        content = _file_digest(path) if path.is_file() else "missing"
        digest.update(f"{rel}\t{content}\n".encode())
    if any(ds.personal_data.pii and ds.personal_data.pii_handling == "hash" for ds in sector.datasets):
        # A one-way tag, so that rotating the salt republishes the hashed columns.
        salt = settings.pii_salt
        tag = hashlib.sha256(b"sector-datasets pii salt tag\n" + salt.encode()).hexdigest()[:16] if salt else "none"
        digest.update(f"pii-salt\t{tag}\n".encode())
    return digest.hexdigest()


def source_inputs(manifests: list[dict]) -> dict[str, str]:
    """``source:<id>`` -> sha256 of the landed payload, from this run's landing manifests."""
    return {f"source:{m['source_id']}": m["sha256"] for m in manifests}


def dataset_inputs(con: duckdb.DuckDBPyConnection, registry: Registry, sector: Sector, exports_dir: Path) -> dict[str, str]:
    """``dataset:<id>`` -> checksum of the served version of every published input (cross-sector)."""
    out = {}
    for ds in registry.input_datasets(sector):
        owner, _ = registry.dataset(ds.id)
        version, _ = served_version(con, exports_dir, owner.id, ds.id)
        row = publication(con, ds.id, version) if version is not None else None
        out[f"dataset:{ds.id}"] = f"v{version}:{row[1]}" if row else "unpublished"
    return out


def combine(code_fp: str, inputs: dict[str, str]) -> str:
    payload = json.dumps({"code": code_fp, "inputs": inputs}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Decision
# --------------------------------------------------------------------------------------------


def decide(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    registry: Registry,
    sector: Sector,
    run_id: str,
    inputs: dict[str, str],
    *,
    force: bool = False,
) -> Decision:
    """Decide whether this run can stop after load, record the decision and return it."""
    code_fp = code_fingerprint(settings, registry, sector)
    fingerprint = combine(code_fp, inputs)
    states = {
        row[0]: {"status": row[1], "fingerprint": row[2], "run_id": row[3], "version": row[4]}
        for row in con.execute(
            "SELECT dataset_id, status, fingerprint, run_id, version FROM meta.dataset_state WHERE sector_id = ?",
            [sector.id],
        ).fetchall()
    }
    reasons: list[str] = []
    if force:
        reasons.append("forced rebuild (SECTOR_DATASETS_FORCE_RUN or the DAG param force_rebuild)")
    if not sector.datasets:
        reasons.append("the sector declares no dataset")
    differs: list[str] = []
    served: dict[str, dict] = {}
    for ds in sector.datasets:
        state = states.get(ds.id)
        if state is None:
            reasons.append(f"{ds.id}: no successful publish recorded yet")
        elif state["status"] != "published":
            reasons.append(f"{ds.id}: last {state['status'].replace('_', ' ')} in run {state['run_id']}")
        elif state["fingerprint"] != fingerprint:
            differs.append(ds.id)
        else:
            intact = _served_intact(con, settings, sector.id, ds.id)
            if isinstance(intact, str):
                reasons.append(f"{ds.id}: {intact}")
            else:
                served[ds.id] = intact
    if differs:
        reasons.extend(_explain_difference(con, sector.id, states[differs[0]]["run_id"], code_fp, inputs, differs))
    confirmed = sorted({s["run_id"] for s in states.values() if s["status"] == "published"})
    since = states[sector.datasets[0].id]["run_id"] if not reasons and sector.datasets else None
    if reasons:
        reason = "; ".join(reasons)
    else:
        reason = (
            f"unchanged since run {', '.join(confirmed)}: same payloads ({_describe_inputs(inputs)}) and same "
            "dbt models, expectation suites and registry; every dataset is published and passed its last gate"
        )
    decision = Decision(
        sector_id=sector.id, run_id=run_id, fingerprint=fingerprint, code_fingerprint=code_fp, inputs=inputs,
        unchanged=not reasons, reason=reason, since_run=since, datasets=served if not reasons else {},
    )
    con.execute("DELETE FROM meta.run_decisions WHERE sector_id = ? AND run_id = ?", [sector.id, run_id])
    con.execute(
        "INSERT INTO meta.run_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))",
        [
            sector.id, run_id, fingerprint, code_fp, json.dumps(inputs, sort_keys=True), decision.unchanged,
            decision.reason, since, json.dumps(decision.datasets, sort_keys=True), _now(),
        ],
    )
    log.info("sector %s run %s: %s", sector.id, run_id, ("UNCHANGED — " if decision.unchanged else "rebuild — ") + reason)
    return decision


def _describe_inputs(inputs: dict[str, str]) -> str:
    sources = sum(1 for k in inputs if k.startswith("source:"))
    datasets = sum(1 for k in inputs if k.startswith("dataset:"))
    parts = ([f"sha256 of {sources} source(s)"] if sources else []) + (
        [f"checksums of {datasets} input dataset(s)"] if datasets else []
    )
    return ", ".join(parts) or "no inputs"


def _explain_difference(
    con: duckdb.DuckDBPyConnection, sector_id: str, last_run: str, code_fp: str, inputs: dict[str, str], datasets: list[str]
) -> list[str]:
    previous = recorded_decision(con, sector_id, last_run)
    if previous is None:
        return [f"{', '.join(datasets)}: built from different inputs or code than run {last_run}"]
    out = []
    changed = sorted(k for k in set(inputs) | set(previous.inputs) if inputs.get(k) != previous.inputs.get(k))
    if changed:
        described = [
            f"{k.split(':', 1)[1]} ({_short(previous.inputs.get(k))} → {_short(inputs.get(k))})" for k in changed
        ]
        out.append(f"inputs changed since run {last_run}: {', '.join(described)}")
    if previous.code_fingerprint != code_fp:
        out.append(f"dbt models, expectation suites, registry or salt changed since run {last_run}")
    return out or [f"{', '.join(datasets)}: fingerprint differs from run {last_run}"]


def _short(value: str | None) -> str:
    if value is None:
        return "absent"
    return value if len(value) <= 16 else value[:12]


def _served_intact(con: duckdb.DuckDBPyConnection, settings: Settings, sector_id: str, dataset_id: str) -> dict | str:
    """The served version's facts, or why it cannot be trusted to be served as it was."""
    version, pinned = served_version(con, settings.exports_dir, sector_id, dataset_id)
    if version is None:
        return "nothing is served"
    tables = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'curated' AND table_name IN (?, ?)",
            [dataset_id, layout.version_table(dataset_id, version)],
        ).fetchall()
    }
    if tables != {dataset_id, layout.version_table(dataset_id, version)}:
        return f"served version v{version} is missing from the warehouse (curated table or view)"
    current = layout.current_link(settings.exports_dir, sector_id, dataset_id)
    if (
        not current.is_symlink()
        or current.resolve().name != layout.version_name(version)
        or not layout.metadata_file(current).is_file()
    ):
        return f"exports of the served version v{version} are missing or not current"
    row = publication(con, dataset_id, version)
    return {
        "version": version,
        "row_count": row[0] if row else None,
        "checksum": row[1] if row else None,
        "pinned": pinned,
        "export_dir": str(current.resolve()),
    }


def reject_sources(con: duckdb.DuckDBPyConnection, sector_id: str, run_id: str, source_ids: list[str]) -> str | None:
    """Record that this run did not load ``source_ids`` (their payloads broke the source contract).

    Their inputs become ``rejected:<sha256>`` and the run's fingerprint is recomputed, so what the
    run publishes is confirmed at inputs no later run can have: a rerun with the same bad payload
    is never "unchanged" (it loads, and fails, again), and a fixed payload rebuilds. Returns the
    new fingerprint (None if the run recorded no decision).
    """
    decision = recorded_decision(con, sector_id, run_id)
    if decision is None:
        return None
    inputs = dict(decision.inputs)
    for source_id in source_ids:
        key = f"source:{source_id}"
        inputs[key] = f"rejected:{inputs.get(key, 'unknown')}"
    fingerprint = combine(decision.code_fingerprint, inputs)
    con.execute(
        "UPDATE meta.run_decisions SET fingerprint = ?, inputs = ? WHERE sector_id = ? AND run_id = ?",
        [fingerprint, json.dumps(inputs, sort_keys=True), sector_id, run_id],
    )
    return fingerprint


def recorded_decision(con: duckdb.DuckDBPyConnection, sector_id: str, run_id: str) -> Decision | None:
    row = con.execute(
        "SELECT fingerprint, code_fingerprint, inputs, unchanged, reason, since_run, datasets "
        "FROM meta.run_decisions WHERE sector_id = ? AND run_id = ? ORDER BY decided_at DESC LIMIT 1",
        [sector_id, run_id],
    ).fetchone()
    if row is None:
        return None
    return Decision(
        sector_id=sector_id, run_id=run_id, fingerprint=row[0], code_fingerprint=row[1],
        inputs=json.loads(row[2]) if row[2] else {}, unchanged=bool(row[3]), reason=row[4] or "",
        since_run=row[5], datasets=json.loads(row[6]) if row[6] else {},
    )


def mark_dataset(
    con: duckdb.DuckDBPyConnection,
    sector_id: str,
    dataset_id: str,
    run_id: str,
    status: str,
    *,
    version: int | None = None,
) -> None:
    """Record a dataset's outcome in this run (``published``, ``gate_failed``, ``publish_failed``).

    ``published`` stores this run's fingerprint (None if the run made no decision, e.g. a stage
    called on its own), so only a run that saw the same inputs and code can be skipped later.
    """
    decision = recorded_decision(con, sector_id, run_id)
    fingerprint = decision.fingerprint if decision and status == "published" else None
    con.execute("DELETE FROM meta.dataset_state WHERE dataset_id = ?", [dataset_id])
    con.execute(
        "INSERT INTO meta.dataset_state VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))",
        [dataset_id, sector_id, status, fingerprint, run_id, version, _now()],
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)

"""What is served, as operators change it: rollback, unpin, versions, prune, approve, reject.

The CLI's command bodies (``cli.py`` only parses arguments) and :func:`decide_held`, the one
function that approves or rejects a held version — ``cli approve`` / ``cli reject`` and the Airflow
``serve__<dataset>`` / ``reject__<dataset>`` tasks all call it, so a decision made in the UI and
one made on the command line leave the same trace: ``meta.approvals``, the served version, the
version's ``metadata.json`` and an ``approval`` event in the run log of the run that held it.
"""

from __future__ import annotations

import sys

from sector_datasets.registry import load_registry
from sector_datasets.settings import Settings
from sector_datasets.state import approvals, runlog


def decide_held(settings: Settings, dataset_id: str, decision: str, *, by: str, reason: str = "",
                version: int | None = None) -> dict:
    """Approve (serve) or reject / time out a held version; returns the decision with its version and run.

    Raises ``PublishError`` when nothing is held (or ``version`` is not).
    """
    from sector_datasets.publish.approval import approve, reject
    from sector_datasets.warehouse import get_backend

    sector, _ = load_registry(settings.registry_dir).dataset(dataset_id)
    with get_backend(settings).connect_writer(f"{decision} {dataset_id}") as con:
        if decision == approvals.APPROVED:
            decided = approve(con, settings.exports_dir, sector.id, dataset_id, version, by=by, reason=reason)
        else:
            decided = reject(con, settings.exports_dir, sector.id, dataset_id, version, by=by, reason=reason,
                             status=decision)
        row = approvals.of_version(con, dataset_id, decided["version"]) or {}
    run_id = row.get("run_id")
    if run_id:  # the run that held it shows the decision in its report
        summary = (f"v{decided['version']} {decision} by {by}" + (f": {reason}" if reason else "")
                   + (" — now served" if decision == approvals.APPROVED else " — served version unchanged"))
        runlog.record(settings.home, sector.id, run_id, "approval", dataset_id, "success", summary, result=decided)
    return {**decided, "run_id": run_id, "sector_id": sector.id}


def approve_cmd(settings: Settings, dataset_id: str, version: int | None, by: str) -> int:
    from sector_datasets.publish import PublishError

    try:
        decided = decide_held(settings, dataset_id, approvals.APPROVED, by=by, version=version)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"curated.{dataset_id} now serves v{decided['version']} (approved by {by}; đã phê duyệt)")
    _refresh_report(settings, decided)
    return 0


def reject_cmd(settings: Settings, dataset_id: str, version: int | None, by: str, reason: str) -> int:
    from sector_datasets.publish import PublishError

    try:
        decided = decide_held(settings, dataset_id, approvals.REJECTED, by=by, reason=reason, version=version)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{dataset_id} v{decided['version']} rejected by {by}: {reason} — the served version is unchanged "
          "(đã từ chối; phiên bản đang công bố giữ nguyên)")
    _refresh_report(settings, decided)
    return 0


def _refresh_report(settings: Settings, decided: dict) -> None:
    """The owner decided on the command line: the scorecard (which told them to) says so now, not
    after the next run. In Airflow the DAG's ``report`` task follows the decision instead."""
    from sector_datasets.report import write_sector_report

    if decided.get("run_id"):
        path = write_sector_report(settings, load_registry(settings.registry_dir), decided["sector_id"], decided["run_id"])
        print(f"scorecard updated: {path}")


def rollback_cmd(settings: Settings, dataset_id: str, version: int, *, pin: bool = True, reason: str = "") -> int:
    from sector_datasets.warehouse import get_backend
    from sector_datasets.publish import PublishError
    from sector_datasets.publish.serving import rollback

    registry = load_registry(settings.registry_dir)
    sector, _ = registry.dataset(dataset_id)
    try:
        with get_backend(settings).connect_writer(f"rollback {dataset_id}") as con:
            rollback(con, settings.exports_dir, sector.id, dataset_id, version, pin=pin, reason=reason)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"curated.{dataset_id} now serves v{version}"
          + (f" (pinned: new versions are kept but not served until `unpin {dataset_id}`)" if pin else ""))
    return 0


def unpin_cmd(settings: Settings, dataset_id: str) -> int:
    from sector_datasets.warehouse import get_backend
    from sector_datasets.publish import PublishError
    from sector_datasets.publish.serving import unpin

    registry = load_registry(settings.registry_dir)
    sector, _ = registry.dataset(dataset_id)
    try:
        with get_backend(settings).connect_writer(f"unpin {dataset_id}") as con:
            version = unpin(con, settings.exports_dir, sector.id, dataset_id)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"curated.{dataset_id} is no longer pinned and serves the newest kept version, v{version}")
    return 0


def versions_cmd(settings: Settings, dataset_id: str) -> int:
    from sector_datasets.report.changes import changes_of, version_metadata
    from sector_datasets.warehouse import get_backend
    from sector_datasets.state.versions import version_history

    registry = load_registry(settings.registry_dir)
    sector, _ = registry.dataset(dataset_id)
    with get_backend(settings).connect_writer(f"versions {dataset_id}") as con:
        history = version_history(con, settings.exports_dir, sector.id, dataset_id)
        decided = {h["version"]: approvals.of_version(con, dataset_id, h["version"]) for h in history}
    print(f"{'version':>7}  {'rows':>7}  {'published_at':<19}  state")
    for h in history:
        state = ", ".join(
            w for w, on in (("served", h["served"]), ("pinned", h["pinned"]), ("kept", h["kept"] and not h["served"]),
                            ("pruned", not h["kept"])) if on
        )
        row = decided.get(h["version"])
        if row and row["status"] == approvals.AWAITING:
            state += "; " + approvals.awaiting_hint(dataset_id)
        elif row:
            state += f"; {row['status']} by {row['decided_by']}" + (f": {row['reason']}" if row["reason"] else "")
        note = changes_of(version_metadata(settings.exports_dir, sector.id, dataset_id, h["version"]))
        line = f"{'v' + str(h['version']):>7}  {h['row_count']:>7}  {(h['published_at'] or '')[:19]:<19}  {state}"
        print(line + (f"  {note.note_line}" if note and note.note_line else ""))  # release note: vi / en
    return 0


def prune_cmd(settings: Settings, dataset_ids: list[str], keep: int | None) -> int:
    from sector_datasets.warehouse import get_backend
    from sector_datasets.publish.serving import prune_versions

    registry = load_registry(settings.registry_dir)
    keep = keep if keep is not None else settings.keep_versions
    targets = dataset_ids or list(registry.datasets)
    with get_backend(settings).connect_writer("prune") as con:
        for dataset_id in targets:
            sector, _ = registry.dataset(dataset_id)
            pruned = prune_versions(con, settings.exports_dir, sector.id, dataset_id, keep)
            if pruned:
                print(f"{dataset_id}: pruned v{', v'.join(map(str, pruned))}")
    return 0



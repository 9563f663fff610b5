"""Deciding a held version: approve serves it, reject (or a timeout) keeps the served one.

A version the publish policy held (:mod:`.wap`) is written — ``curated.<dataset>__vNNNN``, its
``vNNNN`` folder, its publication — but not served, and ``meta.approvals`` says ``awaiting``.
``cli approve`` and the Airflow ``serve__<dataset>`` task call :func:`approve`: the version is
served like a rollback (view, ``meta.current``, ``current`` symlink, catalog, history) and the
approval row records who and when, in the same warehouse transaction. ``cli reject`` and the
``reject__<dataset>`` task call :func:`reject`: only the decision is recorded; the held version is
kept for the record until retention prunes it. Both rewrite ``metadata.json["changes"]["approval"]``
of the decided version, so its release note says who decided.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from sector_datasets.publish import PublishError
from sector_datasets.publish.exports import write_history
from sector_datasets.publish.serving import serve_version
from sector_datasets.review.diff import release_note
from sector_datasets.review.records import DiffSummary, PolicyOutcome
from sector_datasets.state import approvals, layout

log = logging.getLogger(__name__)


def held_version(con: Any, dataset_id: str, version: int | None = None) -> int:
    """The held version to decide: ``version`` if it is awaiting, else the newest awaiting one."""
    pending = [r["version"] for r in approvals.pending(con, dataset_id)]
    if not pending:
        raise PublishError(f"dataset {dataset_id!r}: no version is awaiting approval (không có phiên bản nào chờ phê duyệt)")
    if version is None:
        return max(pending)
    if version not in pending:
        raise PublishError(
            f"dataset {dataset_id!r}: v{version} is not awaiting approval; awaiting: "
            + ", ".join(f"v{v}" for v in sorted(pending))
        )
    return version


def approve(con: Any, exports_dir: Path, sector_id: str, dataset_id: str, version: int | None = None,
            *, by: str, reason: str = "") -> dict:
    """Serve the held version and record the approval; returns the approval block (with ``version``)."""
    version = held_version(con, dataset_id, version)
    decided: dict = {}

    def record() -> None:  # inside the serving transaction: served ⇔ approved
        decided.update(approvals.decide(con, dataset_id, version, approvals.APPROVED, by=by, reason=reason))

    serve_version(con, exports_dir, sector_id, dataset_id, version, pinned=False,
                  reason=f"approved by {by}", by=by, also=record)
    _note_decision(exports_dir, sector_id, dataset_id, version, decided)
    log.warning("dataset %s: v%d approved by %s and now served", dataset_id, version, by)
    return {**decided, "version": version}


def reject(con: Any, exports_dir: Path, sector_id: str, dataset_id: str, version: int | None = None,
           *, by: str, reason: str, status: str = approvals.REJECTED) -> dict:
    """Record that the held version is not served (``rejected`` or ``timed_out``); serving is unchanged."""
    if not reason.strip():
        raise PublishError(f"dataset {dataset_id!r}: a rejection needs a reason (cần ghi lý do từ chối)")
    version = held_version(con, dataset_id, version)
    decided = approvals.decide(con, dataset_id, version, status, by=by, reason=reason)
    _note_decision(exports_dir, sector_id, dataset_id, version, decided)
    write_history(con, exports_dir, sector_id, dataset_id)
    log.warning("dataset %s: v%d %s by %s: %s", dataset_id, version, status, by, reason)
    return {**decided, "version": version}


def _note_decision(exports_dir: Path, sector_id: str, dataset_id: str, version: int, decided: dict) -> None:
    """Write the decision into the version's ``metadata.json`` (read-only otherwise; replaced atomically)."""
    path = layout.metadata_file(layout.version_dir(exports_dir, sector_id, dataset_id, version))
    if not path.exists():
        return
    metadata = json.loads(path.read_text(encoding="utf-8"))
    changes = metadata.setdefault("changes", {})
    changes["approval"] = decided
    if changes.get("diff"):  # the note said "waiting for approval": it now says who decided
        diff = DiffSummary.from_dict(changes["diff"])
        outcome = PolicyOutcome.from_dict(changes["policy"]) if changes.get("policy") else None
        period = (metadata.get("promise") or {}).get("period")
        changes["note"] = release_note(diff, outcome, period=period, approval=decided).to_dict()
    tmp = layout.tmp_sibling(path)
    tmp.write_text(json.dumps(metadata, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.chmod(tmp, 0o444)
    os.replace(tmp, path)

"""Release notes of published versions, read from their ``metadata.json`` (files only, like
:mod:`.facts`): what a version changed, why it was let through, and a version held for approval.

``metadata.json["changes"]`` is written by the publish stage (``publish.metadata.build_metadata``)::

    {"diff": DiffSummary.to_dict(), "policy": PolicyOutcome.to_dict(),
     "note": {"en": ..., "vi": ...}, "approval": {"status", "by", "reason", "at"} | None}

A *held* version is one the publish policy sent to the owner: its ``vNNNN`` folder exists but
``current`` still points at an older version. Versions published before diffs existed have no
``changes``; they simply show no note.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sector_datasets.state import layout

#: Approval statuses that mean the owner has not decided yet (meta.approvals: awaiting, approved,
#: rejected, blocked). No approval record on a version the policy held also means "not decided".
UNDECIDED = (None, "", "awaiting", "pending", "waiting")
CLI = "python -m sector_datasets.cli"


@dataclass(frozen=True)
class VersionChanges:
    """One version's release note, flattened for pages and the CLI."""

    version: int
    published_at: str | None
    note_vi: str
    note_en: str
    from_version: int | None = None
    added: int = 0
    removed: int = 0
    changed: int = 0
    series_added: tuple[str, ...] = ()
    series_removed: tuple[str, ...] = ()
    periods_added: tuple[str, ...] = ()
    periods_removed: tuple[str, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    action: str = ""  # the policy's: publish | approve | block ("" when not recorded)
    reasons: tuple[tuple[str, str], ...] = ()  # (vi, en), why the policy did not publish on its own
    approval_status: str | None = None
    approved_by: str | None = None
    approval_reason: str | None = None
    approved_at: str | None = None

    @property
    def awaiting(self) -> bool:
        """The policy asked the owner and the owner has not decided yet."""
        return self.action == "approve" and self.approval_status in UNDECIDED

    @property
    def approved(self) -> bool:
        return self.approval_status == "approved"

    @property
    def by_policy(self) -> bool:
        """Published on the policy's word alone (no owner approval was needed)."""
        return self.action == "publish" and not self.approved

    @property
    def first(self) -> bool:
        return self.from_version is None

    def commands(self, dataset_id: str) -> tuple[str, str]:
        """The owner's two answers to a held version, as commands to copy."""
        return f"{CLI} approve {dataset_id}", f'{CLI} reject {dataset_id} --reason "…"'

    @property
    def note_line(self) -> str:
        return f"{self.note_vi} / {self.note_en}" if self.note_vi or self.note_en else ""


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def changes_of(metadata: dict | None) -> VersionChanges | None:
    """The release note in a version's ``metadata.json`` (None: the version has none)."""
    changes = (metadata or {}).get("changes")
    if not isinstance(changes, dict):
        return None
    diff = changes.get("diff") or {}
    policy = changes.get("policy") or {}
    note = changes.get("note") or {}
    approval = changes.get("approval") or {}
    return VersionChanges(
        version=int((metadata or {}).get("version") or 0),
        published_at=(metadata or {}).get("published_at"),
        note_vi=str(note.get("vi") or ""),
        note_en=str(note.get("en") or ""),
        from_version=diff.get("from_version"),
        added=int(diff.get("added") or 0),
        removed=int(diff.get("removed") or 0),
        changed=int(diff.get("changed") or 0),
        series_added=_strings(diff.get("series_added")),
        series_removed=_strings(diff.get("series_removed")),
        periods_added=_strings(diff.get("periods_added")),
        periods_removed=_strings(diff.get("periods_removed")),
        columns_added=_strings(diff.get("columns_added")),
        columns_removed=_strings(diff.get("columns_removed")),
        action=str(policy.get("action") or ""),
        reasons=tuple((str(r.get("vi") or ""), str(r.get("en") or "")) for r in policy.get("reasons") or ()),
        approval_status=approval.get("status"),
        approved_by=approval.get("by"),
        approval_reason=approval.get("reason"),
        approved_at=approval.get("at"),
    )


def read_json(path: Path) -> dict | None:
    """A report input file as JSON; None when it is missing or unreadable (the report shows that)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def version_metadata(exports_dir: Path, sector_id: str, dataset_id: str, version: int) -> dict | None:
    """``metadata.json`` of one kept version (None: pruned or unreadable)."""
    folder = layout.dataset_dir(exports_dir, sector_id, dataset_id) / layout.version_name(version)
    return read_json(layout.metadata_file(folder))


def held_version(exports_dir: Path, sector_id: str, dataset_id: str, served: int | None) -> VersionChanges | None:
    """The newest version written after the served one that awaits the owner's approval, if any.

    Read from files only: a ``vNNNN`` folder newer than ``current`` whose release note says the
    policy asked for approval and no decision is recorded. A newer version kept for another
    reason (the dataset is pinned) is not held.
    """
    folders = layout.version_dirs(layout.dataset_dir(exports_dir, sector_id, dataset_id))
    return newest_awaiting([(n, changes_of(read_json(layout.metadata_file(f)))) for n, f in folders], served)


def newest_awaiting(versions: list[tuple[int, VersionChanges | None]], served: int | None) -> VersionChanges | None:
    """Of ``(version, its release note)`` pairs, the newest version after ``served`` awaiting approval."""
    for number, changes in sorted(versions, key=lambda v: v[0], reverse=True):
        if served is not None and number <= served:
            break
        if changes is not None and changes.awaiting:
            return changes
    return None


def period_text(metadata: dict | None) -> str | None:
    """``period_coverage`` as people read it: "year 2023–2024 (2 kỳ)"."""
    cov = (metadata or {}).get("period_coverage")
    if not isinstance(cov, dict) or cov.get("from") is None:
        return None
    span = str(cov["from"]) if cov.get("from") == cov.get("to") else f"{cov['from']}–{cov['to']}"
    return f"{cov.get('column')} {span} ({cov.get('periods')} kỳ)"

"""A candidate version reviewed before it is served: its diff, the policy's action, its record.

Publish (:mod:`sector_datasets.publish.wap`) calls :func:`review` on the privacy-protected
relation it is about to write, once it knows the content is new (an unchanged checksum never gets
here). The diff is against the version *served* (not the newest kept one: a held or pinned newer
version is not what readers see), so the owner decides on what would change for them.

``changes`` is what ``metadata.json["changes"]`` carries for the release notes: the diff, the
policy outcome, a plain bilingual note and the approval (None when the policy let it through).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sector_datasets.registry import Dataset
from sector_datasets.review.diff import compute_diff, release_note
from sector_datasets.review.policy import decide
from sector_datasets.review.records import APPROVE, BLOCK, DiffSummary, PolicyOutcome
from sector_datasets.state.diffs import record_diff


class PublishBlocked(RuntimeError):
    """The publish policy refuses a version outright; nothing was written or served."""


@dataclass(frozen=True)
class Review:
    diff: DiffSummary
    outcome: PolicyOutcome
    note: dict

    @property
    def action(self) -> str:
        return self.outcome.action

    @property
    def held(self) -> bool:
        return self.outcome.action == APPROVE

    @property
    def blocked(self) -> bool:
        return self.outcome.action == BLOCK

    def changes(self, approval: dict | None) -> dict:
        return {"diff": self.diff.to_dict(), "policy": self.outcome.to_dict(), "note": self.note, "approval": approval}

    def reasons(self, lang: str) -> str:
        return " ".join(getattr(r, lang) for r in self.outcome.reasons)

    def blocked_message(self, sector_id: str, version: int, run_id: str) -> str:
        ds = self.diff.dataset_id
        return (
            f"sector {sector_id!r} dataset {ds!r}: candidate v{version} of run {run_id!r} is BLOCKED by its publish "
            f"policy and was not published; the served version is unchanged. Reasons: {self.reasons('en')} "
            f"/ Bộ dữ liệu {ds!r} (lĩnh vực {sector_id!r}): phiên bản v{version} của lần chạy {run_id!r} bị CHẶN "
            f"theo chính sách công bố và không được công bố; phiên bản đang công bố giữ nguyên. "
            f"Lý do: {self.reasons('vi')}"
        )


def review(con: Any, dataset: Dataset, candidate: str, served: str | None, run_id: str) -> Review:
    """Diff ``candidate`` against the ``served`` version table (None: first version) and apply the policy."""
    diff = compute_diff(con, dataset, candidate, served, run_id)
    outcome = decide(diff, dataset)
    note = release_note(diff, outcome, period=dataset.promise.period)
    return Review(diff, outcome, note.to_dict())


def record(con: Any, sector_id: str, result: Review, to_version: int | None) -> None:
    """Keep the diff and the policy outcome in ``quality.diffs`` (the version's release note)."""
    record_diff(con, sector_id, result.diff, result.outcome, to_version)


def approval_request(sector_id: str, dataset_id: str, publication: dict) -> dict:
    """Subject and body (Markdown, Vietnamese then English) of the owner's approval task.

    Built from publish's record (its ``changes``), pushed as an XCom and rendered by the HITL
    task's templated ``subject``/``body`` — the owner reads what changes and why it waits.
    """
    changes = publication.get("changes") or {}
    diff = DiffSummary.from_dict(changes["diff"]) if changes.get("diff") else None
    outcome = PolicyOutcome.from_dict(changes["policy"]) if changes.get("policy") else None
    version, served = publication.get("version"), publication.get("served_version")
    subject = (f"Phê duyệt {dataset_id} v{version}? / Approve {dataset_id} v{version}? "
               f"(sector {sector_id}, run {publication.get('run_id')})")
    figures = "" if diff is None else (
        f"| | |\n|---|---|\n| rows before → after / số dòng trước → sau | {diff.rows_before} → {diff.rows_after} |\n"
        f"| added / thêm | {diff.added} |\n| removed / mất | {diff.removed} |\n| revised / sửa | {diff.changed} |\n"
        f"| largest relative revision / mức sửa lớn nhất | "
        f"{'—' if diff.max_relative_revision is None else f'{diff.max_relative_revision * 100:.3g} %'} |\n"
    )
    reasons = outcome.reasons if outcome else []
    note = changes.get("note") or {}
    body = (
        f"**{dataset_id} v{version}** chờ phê duyệt; v{served} vẫn đang được công bố.\n\n"
        + "".join(f"- {r.vi}\n" for r in reasons) + (f"\n{note.get('vi', '')}\n" if note.get("vi") else "")
        + f"\n**{dataset_id} v{version}** awaits approval; v{served} stays served.\n\n"
        + "".join(f"- {r.en}\n" for r in reasons) + (f"\n{note.get('en', '')}\n" if note.get("en") else "")
        + f"\n{figures}\nApprove serves v{version}; Reject keeps v{served} (give a reason). "
        "Phê duyệt: công bố phiên bản mới; Từ chối: giữ phiên bản hiện tại (ghi lý do)."
    )
    return {"subject": subject, "body": body}

"""A dataset's publish policy applied to a version diff: publish, wait for approval, or block.

Pure: no warehouse, no clock. The first version of a dataset publishes (there is nothing to
revise); an unchanged version is not a new version and never reaches here.
"""

from __future__ import annotations

from sector_datasets.registry import Dataset
from sector_datasets.review.records import APPROVE, BLOCK, PUBLISH, DiffSummary, PolicyOutcome, Reason


def _pct(share: float) -> str:
    return f"{share * 100:.3g} %"


def _list(values: list[str], limit: int = 5) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" … (+{len(values) - limit})" if len(values) > limit else "")


def decide(diff: DiffSummary, dataset: Dataset) -> PolicyOutcome:
    """The action the dataset's ``publish_policy`` takes on ``diff``, with every reason."""
    policy = dataset.publish_policy
    blocks: list[Reason] = []
    approvals: list[Reason] = []
    if diff.first_version:
        return PolicyOutcome(diff.dataset_id, diff.run_id, PUBLISH, [Reason(
            "First version: nothing published before, nothing revised.",
            "Phiên bản đầu tiên: chưa có gì được công bố trước đó, không có số liệu nào bị sửa.",
        )])
    promised = set(dataset.promise.series)
    vanished_promised = [s for s in diff.series_removed if s in promised]
    if vanished_promised:
        blocks.append(Reason(
            f"Promised series vanished: {_list(vanished_promised)}.",
            f"Chuỗi số liệu đã cam kết bị mất: {_list(vanished_promised)}.",
        ))
    if diff.repeated_keys:
        key = ", ".join(dataset.primary_key)
        blocks.append(Reason(
            f"{diff.repeated_keys} row(s) repeat a key ({key}) that the served version has once: "
            "the key no longer identifies one row.",
            f"{diff.repeated_keys} dòng lặp lại khóa ({key}) vốn chỉ có một dòng trong phiên bản đang công bố: "
            "khóa không còn xác định duy nhất một dòng.",
        ))
    removed_share = diff.removed / diff.rows_before if diff.rows_before else 0.0
    if removed_share > policy.removed_share_blocks:
        blocks.append(Reason(
            f"{diff.removed} of {diff.rows_before} served rows ({_pct(removed_share)}) disappeared; "
            f"more than {_pct(policy.removed_share_blocks)} blocks a version.",
            f"{diff.removed} trên {diff.rows_before} dòng đang công bố ({_pct(removed_share)}) bị mất; "
            f"mất quá {_pct(policy.removed_share_blocks)} thì không được công bố.",
        ))
    elif removed_share > policy.removed_share_needs_approval:
        approvals.append(Reason(
            f"{diff.removed} of {diff.rows_before} served rows ({_pct(removed_share)}) disappeared.",
            f"{diff.removed} trên {diff.rows_before} dòng đang công bố ({_pct(removed_share)}) bị mất.",
        ))
    other_vanished = [s for s in diff.series_removed if s not in promised]
    if other_vanished:
        approvals.append(Reason(
            f"Series no longer present: {_list(other_vanished)}.",
            f"Chuỗi số liệu không còn: {_list(other_vanished)}.",
        ))
    beyond = diff.changed - diff.changed_within_tolerance
    if beyond > 0:
        largest = "" if diff.max_relative_revision is None else f"; largest relative revision {_pct(diff.max_relative_revision)}"
        largest_vi = "" if diff.max_relative_revision is None else f"; mức sửa lớn nhất {_pct(diff.max_relative_revision)}"
        approvals.append(Reason(
            f"{beyond} past row(s) revised beyond the tolerance of {_pct(policy.revision_tolerance)}{largest}.",
            f"{beyond} dòng số liệu cũ bị sửa vượt ngưỡng {_pct(policy.revision_tolerance)}{largest_vi}.",
        ))
    if diff.series_added and policy.new_series_need_approval:
        approvals.append(Reason(
            f"New series: {_list(diff.series_added)}.",
            f"Chuỗi số liệu mới: {_list(diff.series_added)}.",
        ))
    if diff.columns_added or diff.columns_removed:
        approvals.append(Reason(
            f"Columns changed: added {_list(diff.columns_added) or 'none'}, removed {_list(diff.columns_removed) or 'none'}.",
            f"Cột thay đổi: thêm {_list(diff.columns_added) or 'không'}, bỏ {_list(diff.columns_removed) or 'không'}.",
        ))
    if blocks:
        return PolicyOutcome(diff.dataset_id, diff.run_id, BLOCK, blocks + approvals)
    if approvals:
        return PolicyOutcome(diff.dataset_id, diff.run_id, APPROVE, approvals)
    what = (
        f"{diff.added} new row(s)" + (f", new periods {_list(diff.periods_added)}" if diff.periods_added else "")
        + (f", {diff.changed} revision(s) within tolerance" if diff.changed else "")
    )
    what_vi = (
        f"{diff.added} dòng mới" + (f", kỳ mới {_list(diff.periods_added)}" if diff.periods_added else "")
        + (f", {diff.changed} dòng sửa trong ngưỡng cho phép" if diff.changed else "")
    )
    return PolicyOutcome(diff.dataset_id, diff.run_id, PUBLISH, [Reason(
        f"Only additions: {what}; nothing removed or revised beyond the policy.",
        f"Chỉ bổ sung: {what_vi}; không mất dòng nào, không sửa vượt ngưỡng.",
    )])

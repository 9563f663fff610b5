"""``cli diff DATASET [V1 V2]``: what one kept version changes against another, for people.

Without versions: the served version against the newest kept one when that one is newer (a
held or pinned-over version waiting to be served), otherwise the served version against the
kept version before it. With ``V1 V2``: ``V2`` against ``V1``. The diff is computed afresh from
the ``curated.<dataset>__vNNNN`` tables (read-only); the decision the publish policy took when
the newer version was produced is shown when ``quality.diffs`` has it.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from sector_datasets.registry import load_registry
from sector_datasets.review.diff import compute_diff, release_note
from sector_datasets.review.records import DiffSummary, PolicyOutcome
from sector_datasets.settings import Settings
from sector_datasets.state import layout
from sector_datasets.state.diffs import diff_of_version
from sector_datasets.state.versions import kept_versions, served_version
from sector_datasets.warehouse import get_backend


class DiffChoiceError(ValueError):
    pass


def choose_versions(kept: list[int], served: int | None, pair: tuple[int, int] | None) -> tuple[int | None, int]:
    """(older version or None for a first version, newer version) that ``cli diff`` compares."""
    if pair:
        missing = [v for v in pair if v not in kept]
        if missing:
            raise DiffChoiceError(
                f"v{', v'.join(map(str, missing))} not kept (kept: {', '.join(f'v{v}' for v in kept) or 'none'}) / "
                f"phiên bản không còn lưu"
            )
        return pair
    if served is None or not kept:
        raise DiffChoiceError("nothing published yet / chưa có phiên bản nào được công bố")
    newest = max(kept)
    if newest > served:
        return served, newest
    older = [v for v in kept if v < served]
    return (max(older) if older else None), served


def _short(values: list[str], limit: int = 8) -> str:
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + f" … (+{len(values) - limit})"


def _table(diff: DiffSummary, old: int | None, new: int) -> list[str]:
    span = f"v{old} → v{new}" if old is not None else f"v{new}"
    lines = [f"{'':34}{span}", f"{'rows / số dòng':34}{diff.rows_before} → {diff.rows_after}"]
    for label, value in (
        ("added / thêm", diff.added), ("removed / bỏ", diff.removed), ("changed / sửa", diff.changed),
        ("within tolerance / trong ngưỡng", diff.changed_within_tolerance),
        ("max revision / sửa lớn nhất",
         "" if diff.max_relative_revision is None else f"{diff.max_relative_revision * 100:.3g} %"),
        ("periods added / kỳ mới", _short(diff.periods_added)),
        ("periods removed / kỳ mất", _short(diff.periods_removed)),
        ("series added / chuỗi mới", _short(diff.series_added)),
        ("series removed / chuỗi mất", _short(diff.series_removed)),
        ("columns added / cột mới", _short(diff.columns_added)),
        ("columns removed / cột bỏ", _short(diff.columns_removed)),
    ):
        if value not in ("", 0) or label.startswith(("added", "removed", "changed")):
            lines.append(f"{label:34}{value}")
    if diff.revisions:
        lines += ["", f"{'key / khóa':36}{'column / cột':22}{'old / cũ':>14}{'new / mới':>14}{'change / mức':>14}"]
        for r in diff.revisions:
            rel = "" if r.relative is None else f"{r.relative * 100:.3g} %"
            key = " ".join(r.key.values())
            lines.append(f"{key[:35]:36}{r.column[:21]:22}{str(r.old)[:13]:>14}{str(r.new)[:13]:>14}{rel:>14}")
    lines.append(f"({diff.computed_s:.2f} s)")
    return lines


def show_diff(
    settings: Settings, dataset_id: str, versions: list[int] | None = None, out: TextIO = sys.stdout,
) -> int:
    """Print the release note and the table; 1 with a message when the versions cannot be compared."""
    registry = load_registry(settings.registry_dir)
    sector, dataset = registry.dataset(dataset_id)
    if versions and len(versions) != 2:
        print("error: give no version or two (V1 V2) / cho hai phiên bản hoặc không cho", file=sys.stderr)
        return 2
    backend = get_backend(settings)
    with backend.read_lock(f"diff {dataset_id}"), backend.connect_reader() as con:
        kept = kept_versions(con, dataset_id)
        served, _ = served_version(con, settings.exports_dir, sector.id, dataset_id)
        try:
            old, new = choose_versions(kept, served, tuple(versions) if versions else None)  # type: ignore[arg-type]
        except DiffChoiceError as exc:
            print(f"error: {sector.id}/{dataset_id}: {exc}", file=sys.stderr)
            return 1
        diff = compute_diff(
            con, dataset, _relation(dataset_id, new), _relation(dataset_id, old) if old is not None else None,
            run_id=f"cli diff v{old} v{new}", from_version=old,
        )
        stored = _stored_outcome(con, dataset_id, new, old)
    note = release_note(diff, stored, version=new, period=dataset.promise.period)
    print(note.en, file=out)
    print(note.vi, file=out)
    print("", file=out)
    for line in _table(diff, old, new):
        print(line, file=out)
    if stored is not None:
        print(f"\npolicy / chính sách: {stored.action}", file=out)
        for reason in stored.reasons:
            print(f"  - {reason.en}\n    {reason.vi}", file=out)
    return 0


def _relation(dataset_id: str, version: int) -> str:
    return f"curated.{layout.version_table(dataset_id, version)}"


def _stored_outcome(con: Any, dataset_id: str, new: int, old: int | None) -> PolicyOutcome | None:
    """The decision recorded when ``new`` was produced against ``old`` (not for another pair)."""
    try:
        stored = diff_of_version(con, dataset_id, new)
    except Exception:  # a warehouse from before quality.diffs existed (read-only: not created)
        return None
    if not stored or not stored.get("policy") or stored.get("from_version") != old:
        return None
    return PolicyOutcome.from_dict(stored["policy"])

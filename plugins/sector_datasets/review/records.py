"""The review's typed records: a version diff and a policy outcome (JSON-able, for XCom)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sector_datasets.records import JsonRecord

PUBLISH, APPROVE, BLOCK = "publish", "approve", "block"


@dataclass(frozen=True)
class Revision(JsonRecord):
    """One revised past value: the row's key, the column, old and new value, relative change."""

    key: dict[str, str]
    column: str
    old: str | None
    new: str | None
    relative: float | None  # |new - old| / |old|; None for text or from/to NULL


@dataclass(frozen=True)
class SeriesChange(JsonRecord):
    added: int = 0
    removed: int = 0
    changed: int = 0


@dataclass(frozen=True)
class DiffSummary(JsonRecord):
    """What a candidate version changes against the version served (``from_version`` None: first)."""

    dataset_id: str
    run_id: str
    from_version: int | None
    rows_before: int
    rows_after: int
    added: int = 0
    removed: int = 0
    changed: int = 0  # rows whose key is kept and at least one other column differs
    # changed rows whose every numeric change is within the policy's tolerance and no text changed
    changed_within_tolerance: int = 0
    max_relative_revision: float | None = None
    revisions: list[Revision] = field(default_factory=list)  # the largest few, for people
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    periods_added: list[str] = field(default_factory=list)
    periods_removed: list[str] = field(default_factory=list)
    series_added: list[str] = field(default_factory=list)
    series_removed: list[str] = field(default_factory=list)
    by_series: dict[str, SeriesChange] = field(default_factory=dict)
    computed_s: float = 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DiffSummary:
        plain = super().from_dict(data)
        return replace(
            plain,
            revisions=[r if isinstance(r, Revision) else Revision.from_dict(r) for r in plain.revisions],
            by_series={k: v if isinstance(v, SeriesChange) else SeriesChange.from_dict(v) for k, v in plain.by_series.items()},
        )

    @property
    def first_version(self) -> bool:
        return self.from_version is None

    @property
    def repeated_keys(self) -> int:
        """Candidate rows beyond one per key the served version has: the served version's keys are
        unique (it passed its gate), so every candidate row at a kept key is either its one row or a
        repeat. Free from the counts; repeats among brand-new keys are the gate's key check's."""
        if self.first_version:
            return 0
        return max(self.rows_after - (self.rows_before - self.removed + self.added), 0)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added or self.columns_removed
                    or self.repeated_keys)


@dataclass(frozen=True)
class Reason(JsonRecord):
    en: str
    vi: str


@dataclass(frozen=True)
class PolicyOutcome(JsonRecord):
    """publish | approve | block, and why (bilingual), for one dataset in one run."""

    dataset_id: str
    run_id: str
    action: str
    reasons: list[Reason] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolicyOutcome:
        plain = super().from_dict(data)
        return replace(plain, reasons=[r if isinstance(r, Reason) else Reason.from_dict(r) for r in plain.reasons])

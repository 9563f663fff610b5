"""Maturity levels: a level per dataset and per sector from the criteria in :mod:`~.maturity`.

A dataset's level is the highest level whose criteria — and those of every level below — are
all met; level 0 means "not yet level 1" — a published dataset that misses one level-1 criterion
(a licence still to verify) is level 0 too, so level 0 is never called "not published": only a
dataset with no published version is labelled so (:data:`NOT_PUBLISHED`). Every dataset carries
its :attr:`DatasetMaturity.next_step`: the first unmet criterion, what to do and who can do it.

Levels: 0 Chưa đạt mức 1 / Below level 1 · 1 Mở / Open · 2 Được mô tả / Documented ·
3 Tin cậy / Assured · 4 Được khai thác / In use. A *high-quality* dataset (the programme's
"3–5 bộ dữ liệu chất lượng cao" per sector) is one at level ≥ ``HIGH_QUALITY_LEVEL`` (3).

A sector's level is the level that at least ``TARGET_MIN`` (3) of its datasets reach — so a
sector at level 3 meets the target — and its score is the mean, over its declared datasets, of the
share of criteria each meets (0 for a dataset never published). Sectors rank by level, then
high-quality datasets, then score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sector_datasets.report.facts import DatasetFacts
from sector_datasets.report.maturity import CRITERIA, Criterion

HIGH_QUALITY_LEVEL = 3
TARGET_MIN, TARGET_MAX = 3, 5

LEVELS: dict[int, tuple[str, str]] = {
    0: ("Chưa đạt mức 1", "Below level 1"),
    1: ("Mở", "Open"),
    2: ("Được mô tả", "Documented"),
    3: ("Tin cậy", "Assured"),
    4: ("Được khai thác", "In use"),
}

#: The label of a dataset that has no published version (its level is 0).
NOT_PUBLISHED = ("Chưa công bố", "Not published")


@dataclass(frozen=True)
class CriterionResult:
    id: str
    level: int
    title_vi: str
    title_en: str
    met: bool
    detail: str
    todo_vi: str = ""
    todo_en: str = ""
    who: str = "owner"  # maturity.WHO: owner / engineer / publisher


@dataclass(frozen=True)
class DatasetMaturity:
    dataset_id: str
    level: int
    results: tuple[CriterionResult, ...]
    published: bool = True

    @property
    def met(self) -> int:
        return sum(r.met for r in self.results)

    @property
    def score(self) -> float:
        """Share of criteria met; 0 for a dataset never published (nothing is delivered yet)."""
        return self.met / len(self.results) if self.results and self.published else 0.0

    @property
    def high_quality(self) -> bool:
        return self.level >= HIGH_QUALITY_LEVEL

    @property
    def label_vi(self) -> str:
        return LEVELS[self.level][0] if self.published else NOT_PUBLISHED[0]

    @property
    def label_en(self) -> str:
        return LEVELS[self.level][1] if self.published else NOT_PUBLISHED[1]

    @property
    def next_step(self) -> CriterionResult | None:
        """The first unmet criterion (lowest level first, in the criteria's order): what stands
        between the dataset and its next level. None when every criterion is met."""
        return next((r for r in sorted(self.results, key=lambda r: r.level) if not r.met), None)

    def result(self, criterion_id: str) -> CriterionResult:
        return next(r for r in self.results if r.id == criterion_id)


@dataclass(frozen=True)
class SectorMaturity:
    level: int
    declared: int
    published: int
    high_quality: int
    score: float  # 0..1
    dataset_levels: tuple[int, ...] = ()  # every dataset's level, highest first

    @property
    def next_level(self) -> int | None:
        return self.level + 1 if self.level < max(LEVELS) else None

    @property
    def reaching_next(self) -> int:
        """How many datasets already reach the next level (the sector needs TARGET_MIN)."""
        nxt = self.next_level
        return 0 if nxt is None else sum(1 for lv in self.dataset_levels if lv >= nxt)

    @property
    def why_vi(self) -> str:
        """Why the sector is at its level, in one sentence (level 0 beside passed gates puzzled owners)."""
        nxt = self.next_level
        if nxt is None:
            return f"Ít nhất {TARGET_MIN} bộ dữ liệu đạt mức cao nhất."
        return (f"Mức của lĩnh vực là mức mà ít nhất {TARGET_MIN} bộ dữ liệu cùng đạt; "
                f"để lên mức {nxt} cần {TARGET_MIN} bộ đạt mức {nxt}, hiện có {self.reaching_next}.")

    @property
    def target_status(self) -> str:
        """below / met / above the 3–5 high-quality datasets target."""
        if self.high_quality < TARGET_MIN:
            return "below"
        return "met" if self.high_quality <= TARGET_MAX else "above"

    @property
    def label_vi(self) -> str:
        return LEVELS[self.level][0]

    @property
    def label_en(self) -> str:
        return LEVELS[self.level][1]


def score_dataset(facts: DatasetFacts, now: datetime | None = None, criteria: tuple[Criterion, ...] = CRITERIA) -> DatasetMaturity:
    now = now or datetime.now(UTC)
    results = []
    for c in criteria:
        check = c.check(facts, now)
        results.append(CriterionResult(
            c.id, c.level, c.title_vi, c.title_en, check.met, check.detail,
            todo_vi=check.todo_vi or c.todo_vi, todo_en=check.todo_en or c.todo_en, who=check.who or c.who,
        ))
    level = 0
    if facts.published is not None:
        for candidate in sorted({c.level for c in criteria}):
            if all(r.met for r in results if r.level <= candidate):
                level = candidate
            else:
                break
    return DatasetMaturity(facts.dataset_id, level, tuple(results), published=facts.published is not None)


def score_sector(datasets: list[DatasetMaturity], published: int) -> SectorMaturity:
    levels = sorted((d.level for d in datasets), reverse=True)
    level = levels[TARGET_MIN - 1] if len(levels) >= TARGET_MIN else 0
    score = sum(d.score for d in datasets) / len(datasets) if datasets else 0.0
    return SectorMaturity(
        level=level,
        declared=len(datasets),
        published=published,
        high_quality=sum(d.high_quality for d in datasets),
        score=score,
        dataset_levels=tuple(levels),
    )

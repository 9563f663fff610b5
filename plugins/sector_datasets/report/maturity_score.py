"""Maturity levels: a level per dataset and per sector from the criteria in :mod:`~.maturity`.

A dataset's level is the highest level whose criteria — and those of every level below — are
all met; a dataset that has never been published is level 0.

Levels: 0 chưa công bố / not published · 1 Mở / Open · 2 Được mô tả / Documented ·
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
    0: ("Chưa công bố", "Not published"),
    1: ("Mở", "Open"),
    2: ("Được mô tả", "Documented"),
    3: ("Tin cậy", "Assured"),
    4: ("Được khai thác", "In use"),
}

#: A sector is level 0 while fewer than TARGET_MIN of its datasets reach level 1.
SECTOR_LEVEL_0 = ("Chưa đạt mức 1", "Below level 1")


@dataclass(frozen=True)
class CriterionResult:
    id: str
    level: int
    title_vi: str
    title_en: str
    met: bool
    detail: str


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
        return LEVELS[self.level][0]

    @property
    def label_en(self) -> str:
        return LEVELS[self.level][1]

    def result(self, criterion_id: str) -> CriterionResult:
        return next(r for r in self.results if r.id == criterion_id)


@dataclass(frozen=True)
class SectorMaturity:
    level: int
    declared: int
    published: int
    high_quality: int
    score: float  # 0..1

    @property
    def target_status(self) -> str:
        """below / met / above the 3–5 high-quality datasets target."""
        if self.high_quality < TARGET_MIN:
            return "below"
        return "met" if self.high_quality <= TARGET_MAX else "above"

    @property
    def label_vi(self) -> str:
        return SECTOR_LEVEL_0[0] if self.level == 0 else LEVELS[self.level][0]

    @property
    def label_en(self) -> str:
        return SECTOR_LEVEL_0[1] if self.level == 0 else LEVELS[self.level][1]


def score_dataset(facts: DatasetFacts, now: datetime | None = None, criteria: tuple[Criterion, ...] = CRITERIA) -> DatasetMaturity:
    now = now or datetime.now(UTC)
    results = []
    for c in criteria:
        check = c.check(facts, now)
        results.append(CriterionResult(c.id, c.level, c.title_vi, c.title_en, check.met, check.detail))
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
    )

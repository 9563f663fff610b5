"""Freshness: was the published data confirmed against its source within its update period?

Used by the ``fresh`` maturity criterion and shown on every scorecard. A dataset is stale once
its last confirmation is older than ``STALE_FACTOR`` × its declared update period (daily 1,
weekly 7, monthly 31, quarterly 92, yearly 366, irregular ``IRREGULAR_REVIEW_DAYS`` days);
``static`` data never goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sector_datasets.registry import FREQUENCY_DAYS
from sector_datasets.report.facts import DatasetFacts

STALE_FACTOR = 1.5
IRREGULAR_REVIEW_DAYS = 366


@dataclass(frozen=True)
class Freshness:
    status: str  # "fresh", "stale", "static" (never goes stale) or "never" (not published)
    as_of: datetime | None  # when the published data was last confirmed against its source
    age_days: float | None
    max_age_days: float | None  # None for static data

    @property
    def ok(self) -> bool:
        return self.status in ("fresh", "static")


def period_days(frequency: str) -> int | None:
    """The declared update period in days (None: static data, never expected to change)."""
    if frequency == "static":
        return None
    days = FREQUENCY_DAYS.get(frequency)
    return IRREGULAR_REVIEW_DAYS if days is None else days


def assess_freshness(frequency: str, as_of: datetime | None, now: datetime) -> Freshness:
    if as_of is None:
        return Freshness("never", None, None, None)
    age = max(0.0, (now - as_of).total_seconds() / 86400)
    period = period_days(frequency)
    if period is None:
        return Freshness("static", as_of, age, None)
    limit = period * STALE_FACTOR
    return Freshness("fresh" if age <= limit else "stale", as_of, age, limit)


def freshness_of(facts: DatasetFacts, now: datetime) -> Freshness:
    return assess_freshness(facts.update_frequency, facts.last_confirmed_at, now)

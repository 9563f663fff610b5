"""Freshness: is the published data recent, judged on two clocks?

* **The fetch** — was the published data confirmed against its source within ``STALE_FACTOR`` ×
  its declared update period (daily 1, weekly 7, monthly 31, quarterly 92, yearly 366, irregular
  ``IRREGULAR_REVIEW_DAYS`` days)? Otherwise ``stale``.
* **The data's period** — the newest period the data holds (``period_coverage.to`` in the
  version's metadata, over the contract's period column) against the same declared frequency.
  The period after the last one closes one update period after it ends, and its publisher then
  has ``STALE_FACTOR`` periods to publish it: data whose newest period ended more than
  ``(1 + STALE_FACTOR)`` periods ago is ``outdated`` however recently it was fetched (yearly
  data ending 2018 is outdated from mid-2021 on).

``static`` data never goes stale; data without a period column is judged on the fetch alone.
The update frequency is declared once per dataset in the registry (``update_frequency``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sector_datasets.registry import FREQUENCY_DAYS
from sector_datasets.report.facts import DatasetFacts

STALE_FACTOR = 1.5
IRREGULAR_REVIEW_DAYS = 366

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.I)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class DataPeriod:
    """The newest period the published data holds, as people read it."""

    value: str  # as the data holds it: "2018", "2018-06", "2024-Q1", "2018-12-31"
    end: date | None  # the period's last day (None: a value that is no calendar period)
    text_vi: str  # "năm 2018", "tháng 06/2018", "quý 1/2024", "ngày 31/12/2018"
    text_en: str  # "2018", "06/2018", "Q1 2024", "31/12/2018"


@dataclass(frozen=True)
class Freshness:
    # "fresh"; "stale" (not confirmed against its source in time); "outdated" (the data's newest
    # period is too old for its declared frequency); "static" (never goes stale); "never" (not published)
    status: str
    as_of: datetime | None  # when the published data was last confirmed against its source
    age_days: float | None
    max_age_days: float | None  # None for static data
    period: DataPeriod | None = None  # the newest period the data holds (None: no period column)
    period_age_days: int | None = None  # days since that period ended
    period_max_days: float | None = None  # when the data becomes outdated

    @property
    def ok(self) -> bool:
        return self.status in ("fresh", "static")


def period_days(frequency: str) -> int | None:
    """The declared update period in days (None: static data, never expected to change)."""
    if frequency == "static":
        return None
    days = FREQUENCY_DAYS.get(frequency)
    return IRREGULAR_REVIEW_DAYS if days is None else days


def data_period(value: Any) -> DataPeriod | None:
    """The newest period a dataset holds, from ``period_coverage.to`` (a year, "YYYY-MM",
    "YYYY-Qn", a date or a timestamp); None when there is none."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if m := _YEAR.match(text):
        year = int(m[1])
        return DataPeriod(text, date(year, 12, 31), f"năm {year}", str(year))
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        end = date(year, month, calendar.monthrange(year, month)[1])
        return DataPeriod(text, end, f"tháng {month:02d}/{year}", f"{month:02d}/{year}")
    if m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        month = quarter * 3
        end = date(year, month, calendar.monthrange(year, month)[1])
        return DataPeriod(text, end, f"quý {quarter}/{year}", f"Q{quarter} {year}")
    if m := _DAY.match(text):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        shown = day.strftime("%d/%m/%Y")
        return DataPeriod(text, day, f"ngày {shown}", shown)
    return DataPeriod(text, None, text, text)


def assess_freshness(
    frequency: str, as_of: datetime | None, now: datetime, period: DataPeriod | None = None
) -> Freshness:
    if as_of is None:
        return Freshness("never", None, None, None, period)
    age = max(0.0, (now - as_of).total_seconds() / 86400)
    days = period_days(frequency)
    if days is None:
        return Freshness("static", as_of, age, None, period)
    limit = days * STALE_FACTOR
    period_age = period_limit = None
    if period is not None and period.end is not None:
        period_age = (now.date() - period.end).days
        period_limit = days * (1 + STALE_FACTOR)
        if period_age > period_limit:
            return Freshness("outdated", as_of, age, limit, period, period_age, period_limit)
    status = "fresh" if age <= limit else "stale"
    return Freshness(status, as_of, age, limit, period, period_age, period_limit)


def period_of(facts: DatasetFacts) -> DataPeriod | None:
    """The newest period of the served version (its metadata's ``period_coverage``)."""
    if facts.published is None:
        return None
    coverage = facts.published.metadata.get("period_coverage") or {}
    return data_period(coverage.get("to"))


def freshness_of(facts: DatasetFacts, now: datetime) -> Freshness:
    return assess_freshness(facts.update_frequency, facts.last_confirmed_at, now, period_of(facts))


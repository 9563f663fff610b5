"""The pure parts of the owner pages: Vietnamese numbers, Vietnam time, freshness on the data's period."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from sector_datasets.report.formatting import fmt_number, fmt_percent, fmt_short_time, fmt_time
from sector_datasets.report.freshness import STALE_FACTOR, assess_freshness, data_period

UTC = timezone.utc
NOW = datetime(2026, 12, 7, 14, 3, tzinfo=UTC)


@pytest.mark.parametrize(("value", "digits", "text"), [
    (2617, None, "2.617"), (1234567, None, "1.234.567"), (0, None, "0"), (-4200, None, "-4.200"),
    (0.0, 1, "0,0"), (1.5, 1, "1,5"), (12345.678, 2, "12.345,68"), (46.5, 0, "46"), (0.0526, None, "0,053"),
    (None, None, "—"),
])
def test_numbers_use_a_thousands_dot_and_a_decimal_comma(value, digits, text):
    assert fmt_number(value, digits) == text


def test_percentages_are_vietnamese():
    assert fmt_percent(0.944) == "94\u00a0%" and fmt_percent(0.05263, 1) == "5,3\u00a0%" and fmt_percent(None) == "—"


def test_times_are_shown_in_vietnam_time_with_the_marker():
    assert fmt_time(NOW) == "07/12/2026\u00a021:03 (giờ Việt Nam)"
    assert fmt_time(NOW, mark=False) == "07/12/2026\u00a021:03"
    assert fmt_time(datetime(2026, 12, 31, 20, 0)) == "01/01/2027\u00a003:00 (giờ Việt Nam)"  # naive = UTC; next day in ICT
    assert fmt_short_time(NOW) == ("07/12", "21:03") and fmt_time(None) == "—"
    assert fmt_time("2026-12-07T14:03:00+00:00") == fmt_time("2026-12-07T14:03:00") == fmt_time(NOW)  # JSON times
    assert fmt_time("—") == "—"


@pytest.mark.parametrize(("value", "end", "text"), [
    (2018, date(2018, 12, 31), "năm 2018"),
    ("2024-02", date(2024, 2, 29), "tháng 02/2024"),
    ("2024-Q1", date(2024, 3, 31), "quý 1/2024"),
    ("2023-06-30", date(2023, 6, 30), "ngày 30/06/2023"),
    ("2023-06-30T00:00:00", date(2023, 6, 30), "ngày 30/06/2023"),
])
def test_the_data_period_is_read_from_the_newest_period(value, end, text):
    period = data_period(value)
    assert (period.end, period.text_vi) == (end, text)


def test_yearly_data_ending_2018_is_outdated_however_recently_it_was_fetched():
    fresh = assess_freshness("yearly", NOW - timedelta(hours=1), NOW, data_period(2018))
    assert fresh.status == "outdated" and not fresh.ok
    assert fresh.period_age_days == (NOW.date() - date(2018, 12, 31)).days
    assert fresh.period_max_days == 366 * (1 + STALE_FACTOR)


def test_yearly_data_of_last_year_fetched_recently_is_fresh_and_the_limit_is_the_boundary():
    assert assess_freshness("yearly", NOW - timedelta(days=1), NOW, data_period(2025)).status == "fresh"
    limit = 366 * (1 + STALE_FACTOR)  # 915 days after 31/12/2023 is 03/07/2026: 2023 data is outdated by 12/2026
    assert assess_freshness("yearly", NOW, NOW, data_period(2024)).status == "fresh"
    assert assess_freshness("yearly", NOW, NOW, data_period(2023)).status == "outdated"
    assert (NOW.date() - date(2023, 12, 31)).days > limit >= (NOW.date() - date(2024, 12, 31)).days


def test_a_recent_period_does_not_hide_a_stale_fetch_and_static_data_never_ages():
    assert assess_freshness("monthly", NOW - timedelta(days=60), NOW, data_period("2026-11")).status == "stale"
    assert assess_freshness("static", NOW - timedelta(days=9000), NOW, data_period(2001)).status == "static"
    assert assess_freshness("yearly", None, NOW, data_period(2025)).status == "never"

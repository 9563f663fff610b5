"""How the owner pages write numbers and times: Vietnamese conventions, in one place.

Numbers use a thousands dot and a decimal comma ("2.617", "0,0 ngày", "1,5 ×"); times are shown
in Vietnam time (ICT, UTC+7, no daylight saving) as "07/12/2026 21:03 (giờ Việt Nam)". Every
template filter and every detail string built in Python goes through these functions, so the
pages never mix "0.0" and "0,0".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

#: Viet Nam has kept UTC+7 all year since 1975: a fixed offset is exact (no tz database needed).
ICT = timezone(timedelta(hours=7), "ICT")
ICT_MARK = "giờ Việt Nam"
NBSP = "\u00a0"  # keeps a date and its time on one line


def fmt_number(value: Any, digits: int | None = None) -> str:
    """``2617`` → "2.617", ``0.04`` → "0,04", ``1.5`` with ``digits=1`` → "1,5"; None → "—".

    Integers get a thousands dot; other numbers keep ``digits`` decimals (or up to 3 significant
    decimals when ``digits`` is None), with a decimal comma.
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int) and digits is None:
        return f"{value:,}".replace(",", ".")
    if not isinstance(value, (int, float)):
        return str(value)
    text = f"{value:,.{digits}f}" if digits is not None else f"{value:,.3f}".rstrip("0").rstrip(".")
    # swap the separators: "," (thousands) → ".", "." (decimal) → ","
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(share: float | None, digits: int = 0) -> str:
    """A 0..1 share as a Vietnamese percentage: ``0.944`` → "94 %"; ``0.0526`` with 1 digit → "5,3 %"."""
    if share is None:
        return "—"
    return f"{fmt_number(share * 100, digits)}{NBSP}%"


def to_ict(moment: datetime) -> datetime:
    """An aware moment in Vietnam time (naive values are UTC, as the pipeline writes them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ICT)


def fmt_time(moment: datetime | str | None, *, mark: bool = True) -> str:
    """"07/12/2026 21:03 (giờ Việt Nam)"; ``mark=False`` leaves the marker out (a table whose
    heading says it once). ISO strings are parsed (naive = UTC); other strings shown as given."""
    if moment is None:
        return "—"
    if isinstance(moment, str):  # an ISO time from a JSON file (run events, metadata)
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return moment
    text = to_ict(moment).strftime(f"%d/%m/%Y{NBSP}%H:%M")
    return f"{text} ({ICT_MARK})" if mark else text


def fmt_short_time(moment: datetime) -> tuple[str, str]:
    """(day, time) in Vietnam time for a chart axis: ("07/12", "21:03")."""
    local = to_ict(moment)
    return local.strftime("%d/%m"), local.strftime("%H:%M")


def fmt_date(day: date | None) -> str:
    return "—" if day is None else day.strftime("%d/%m/%Y")

"""How the platform spells values in CSV, for every CSV it writes (the exports, the read API).

Plain decimals, never an exponent (a spreadsheet or a reader splitting on "e" must not see
``1e-05``); NULL as an empty field and an empty text as ``""``, so the two stay apart.
"""

from __future__ import annotations

from decimal import Decimal


def plain_number(value: float) -> str:
    """The shortest text that reads back as ``value``, without an exponent (``1e-05`` → ``0.00001``)."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def csv_field(text: str | None) -> str:
    """One CSV field: empty for NULL, quoted when empty or holding a separator, quote or newline."""
    if text is None:
        return ""
    if text == "" or any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text

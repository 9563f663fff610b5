"""Finding datasets by sector, theme, keyword and free text, with or without Vietnamese diacritics.

"dan so", "dân số" and "DÂN SỐ" find the same datasets: text is compared folded (lower case,
combining marks removed, đ → d), on what the exports publish about each dataset — titles and
descriptions in both languages, the sector's names, the DCAT keywords and themes, column names and
their descriptions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def fold(text: str) -> str:
    """Lower case without diacritics: "Đồng bằng" → "dong bang"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _values(node: Any) -> list[str]:
    """The literal values of a JSON-LD property: a string, {"@value"}, {"@id"} or a list of them."""
    if node is None:
        return []
    if isinstance(node, list):
        return [v for item in node for v in _values(item)]
    if isinstance(node, dict):
        value = node.get("@value", node.get("@id"))
        return [str(value)] if value is not None else []
    return [str(node)]


@dataclass(frozen=True)
class DcatTerms:
    """What the DCAT catalog says about one dataset that the metadata.json does not."""

    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # theme URIs; the code is the last path segment (AGRI, HEAL, …)

    @property
    def theme_codes(self) -> tuple[str, ...]:
        return tuple(t.rstrip("/").rsplit("/", 1)[-1] for t in self.themes)


def dcat_terms(catalog: dict[str, Any]) -> dict[str, DcatTerms]:
    """dataset id → keywords and themes, from ``catalog.jsonld``."""
    datasets = catalog.get("dcat:dataset") or [n for n in catalog.get("@graph", []) if "dcat:Dataset" in _values(n.get("@type"))]
    out = {}
    for node in datasets if isinstance(datasets, list) else [datasets]:
        for identifier in _values(node.get("dct:identifier")):
            out[identifier] = DcatTerms(tuple(_values(node.get("dcat:keyword"))), tuple(_values(node.get("dcat:theme"))))
    return out


@dataclass(frozen=True)
class Searchable:
    dataset_id: str
    sector_id: str
    text: str  # folded
    keywords: frozenset[str] = field(default_factory=frozenset)  # folded
    themes: frozenset[str] = field(default_factory=frozenset)  # codes, upper case


def searchable(metadata: dict[str, Any], terms: DcatTerms) -> Searchable:
    sector = metadata.get("sector") or {}
    parts: list[str] = [metadata.get("id", ""), sector.get("id", "")]
    for key in ("title", "description"):
        value = metadata.get(key)
        parts.extend(value.values() if isinstance(value, dict) else [value or ""])
    parts.extend((sector.get("name") or {}).values())
    for column in metadata.get("columns") or []:
        parts.extend([column.get("name") or "", column.get("description") or "", column.get("description_vi") or ""])
    parts.extend(terms.keywords)
    return Searchable(
        metadata.get("id", ""), sector.get("id", ""), fold(" ".join(map(str, parts))),
        frozenset(fold(k) for k in terms.keywords), frozenset(c.upper() for c in terms.theme_codes),
    )


def matches(item: Searchable, *, q: str | None = None, sector: str | None = None, theme: str | None = None,
            keyword: str | None = None) -> bool:
    """Every given criterion holds; free text: every word of ``q`` occurs."""
    if sector and item.sector_id != sector:
        return False
    if theme and theme.upper() not in item.themes:
        return False
    if keyword and fold(keyword) not in item.keywords:
        return False
    return not q or all(word in item.text for word in fold(q).split())


def ranked(items: Iterable[Searchable], q: str | None) -> list[Searchable]:
    """Titles and ids that contain the words first; otherwise the catalog's order."""
    items = list(items)
    if not q:
        return items
    words = fold(q).split()
    return sorted(items, key=lambda s: -sum(s.text.count(w) for w in words))

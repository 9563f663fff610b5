"""What a registry licence text means: its identifier, whether it is open, and a URL for it.

Registry licences are free text that start with an SPDX-style identifier and may carry a note,
e.g. ``"CC-BY-4.0 (reported for the World Bank catalog entry; verify)"``. A licence is *open*
when its identifier grants free reuse and redistribution for any purpose with at most
attribution and share-alike (the Open Definition 2.1); it is *confirmed* unless the note says
it still has to be verified or that no licence is stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: identifier → (canonical URL, open?)
KNOWN: dict[str, tuple[str, bool]] = {
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/", True),
    "PDDL-1.0": ("https://opendatacommons.org/licenses/pddl/1-0/", True),
    "ODC-BY-1.0": ("https://opendatacommons.org/licenses/by/1-0/", True),
    "ODBL-1.0": ("https://opendatacommons.org/licenses/odbl/1-0/", True),
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", True),
    "CC-BY-3.0": ("https://creativecommons.org/licenses/by/3.0/", True),
    "CC-BY-3.0-IGO": ("https://creativecommons.org/licenses/by/3.0/igo/", True),
    "CC-BY-SA-4.0": ("https://creativecommons.org/licenses/by-sa/4.0/", True),
    "CC-BY-SA-3.0": ("https://creativecommons.org/licenses/by-sa/3.0/", True),
    "CC-BY-SA-3.0-IGO": ("https://creativecommons.org/licenses/by-sa/3.0/igo/", True),
    "OGL-UK-3.0": ("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", True),
    # A permissive software licence; it grants the freedoms the Open Definition asks for.
    "MIT": ("https://opensource.org/license/mit", True),
    "CC-BY-NC-4.0": ("https://creativecommons.org/licenses/by-nc/4.0/", False),
    "CC-BY-NC-SA-4.0": ("https://creativecommons.org/licenses/by-nc-sa/4.0/", False),
    "CC-BY-NC-SA-3.0-IGO": ("https://creativecommons.org/licenses/by-nc-sa/3.0/igo/", False),
    "CC-BY-ND-4.0": ("https://creativecommons.org/licenses/by-nd/4.0/", False),
    "CC-BY-NC-ND-4.0": ("https://creativecommons.org/licenses/by-nc-nd/4.0/", False),
}
PUBLIC_DOMAIN = "PUBLIC-DOMAIN"
_CANONICAL = {k.upper(): k for k in KNOWN} | {"ODBL-1.0": "ODbL-1.0"}
_UNCONFIRMED = re.compile(
    r"\bverify\b|\bnot stated\b|\bnone stated\b|\bno (?:stated )?licen[cs]e\b|\bunknown\b", re.IGNORECASE
)
_NOT_STATED = re.compile(r"\bnot stated\b|\bnone stated\b|^\s*no (?:stated )?licen[cs]e\b", re.IGNORECASE)
_TOKEN = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9.\-]*)")
_ANY_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]")


@dataclass(frozen=True)
class Licence:
    text: str
    identifier: str | None  # SPDX-style id, "PUBLIC-DOMAIN", or None when not recognised
    url: str | None
    open: bool  # the identifier is an open licence
    confirmed: bool  # the registry does not say it still has to be verified / is not stated
    others: tuple[str, ...] = ()  # further known licences the text names ("… and CC-BY-4.0 (World Bank)")

    @property
    def open_and_confirmed(self) -> bool:
        return self.open and self.confirmed

    @property
    def stated(self) -> bool:
        """The registry names a licence or terms at all (it may still have to be verified)."""
        return bool(self.text) and not _NOT_STATED.search(self.text)

    @property
    def uri(self) -> str | None:
        """The licence's URI where the text really is that one licence: recognised, confirmed and
        naming no other licence. A licence to verify, not stated, or several licences together
        has none, so a catalog shows the registry's own words instead of an upgraded claim."""
        return self.url if self.confirmed and not self.others else None


def parse_licence(text: str) -> Licence:
    text = (text or "").strip()
    confirmed = bool(text) and not _UNCONFIRMED.search(text)
    if text.lower().startswith("public domain"):
        return Licence(text, PUBLIC_DOMAIN, "https://creativecommons.org/publicdomain/mark/1.0/", True, confirmed)
    match = _TOKEN.match(text)
    token = match.group(1).upper() if match else ""
    named = {t.upper() for t in _ANY_TOKEN.findall(text)} & set(KNOWN)
    if token in KNOWN:
        url, is_open = KNOWN[token]
        others = tuple(sorted(_CANONICAL.get(t, t) for t in named - {token}))
        return Licence(text, _CANONICAL.get(token, token), url, is_open, confirmed, others)
    return Licence(text, None, None, False, confirmed, tuple(sorted(_CANONICAL.get(t, t) for t in named)))

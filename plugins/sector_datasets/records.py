"""Dataclasses that travel as JSON (XCom values, landing manifests, run decisions)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, Self


class JsonRecord:
    """``to_dict`` / ``from_dict`` for a dataclass stored as JSON.

    ``from_dict`` ignores keys the class does not know, so a record written by a newer release (a
    field added) still loads in a worker or a rerun that runs the older code.
    """

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]  # only mixed into dataclasses

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in known})

"""Dataclasses that travel as JSON (XCom values, landing manifests, run decisions, gate verdicts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any, Self


class JsonRecord:
    """``to_dict`` / ``from_dict`` for a dataclass stored as JSON.

    ``from_dict`` ignores keys the class does not know, so a record written by a newer release (a
    field added) still loads in a worker or a rerun that runs the older code. A record with a
    field of nested records overrides ``from_dict`` to rebuild them (JSON holds them as objects).
    """

    def to_dict(self) -> dict[str, Any]:
        return _as_json(asdict(self))  # type: ignore[call-overload]  # only mixed into dataclasses

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in known})


def _as_json(value: Any) -> Any:
    """Tuples as lists, what they read back as from JSON.

    Airflow's XCom serialiser would otherwise store a tuple nested in a record as a tagged
    ``builtins.tuple`` object, not as the JSON array the run log and the verdict files hold.
    """
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    return value

"""Load a reviewable expectation-suite JSON file into a Great Expectations ``ExpectationSuite``.

File format (GX 1.x suite JSON), one file per suite at ``expectations/<suite name>.json``::

    {
      "name": "agri_crop_production",
      "meta": {"owner": "..."},
      "expectations": [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "item_code"},
         "meta": {"why": "one row per item"}}
      ]
    }

Accepted suite keys: ``name`` (required, must equal the file name without ``.json``),
``expectations`` (required, non-empty list; a dataset's rule file may leave it empty, as the
gate adds the baseline its contract implies, :mod:`.contract_suite`), ``meta``, ``notes``,
``suite_parameters``, ``id``. :func:`read_rule_file` + :func:`build_suite` are the two halves
of :func:`load_suite`, so a generated suite is checked exactly like a file.
Accepted expectation keys: ``type`` (required), ``kwargs``, ``meta``, ``notes``,
``description``, ``severity``. Unknown keys, GX 0.x spellings (``expectation_type``,
``expectation_suite_name``), unknown expectation types and kwargs the expectation class rejects
are all errors naming the file (:class:`SuiteError`): GX's own ``ExpectationSuite`` constructor
only *logs* and silently drops an expectation it cannot build, which would weaken a gate
without anyone noticing.

Great Expectations is imported lazily (inside :func:`load_suite`).
"""

from __future__ import annotations

import difflib
import re
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from great_expectations.core.expectation_suite import ExpectationSuite

__all__ = ["SuiteError", "build_suite", "load_suite", "read_rule_file", "suite_path"]

SUITE_KEYS = frozenset({"name", "expectations", "meta", "notes", "suite_parameters", "id"})
EXPECTATION_KEYS = frozenset({"type", "kwargs", "meta", "notes", "description", "severity"})
_LEGACY_KEYS = {
    "expectation_suite_name": "name",
    "expectation_type": "type",
    "ge_cloud_id": "id",
    "data_asset_type": None,
    "evaluation_parameters": "suite_parameters",
}


class SuiteError(ValueError):
    """An expectation suite file is missing or cannot be turned into a GX suite."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"expectation suite {self.path}: {problem}")


def suite_path(expectations_dir: Path, name: str) -> Path:
    """``<expectations_dir>/<name>.json``."""
    return Path(expectations_dir) / f"{name}.json"


def _legacy_hint(key: str) -> str:
    new = _LEGACY_KEYS.get(key)
    if new is None:
        return f"{key!r} is a GX 0.x key that GX 1.x no longer uses; remove it"
    return f"{key!r} is the GX 0.x spelling; GX 1.x calls it {new!r}"


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SuiteError(path, "file not found" if not path.exists() else "not a regular file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SuiteError(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(path, f"cannot read file: {exc}") from exc
    if not isinstance(data, dict):
        raise SuiteError(path, f"top level must be a JSON object, got {type(data).__name__}")
    return data


def _check_suite_shape(path: Path, data: dict[str, Any], *, allow_empty: bool = False) -> None:
    for key in data:
        if key in _LEGACY_KEYS:
            raise SuiteError(path, _legacy_hint(key))
        if key not in SUITE_KEYS:
            raise SuiteError(path, f"unknown key {key!r} (allowed: {', '.join(sorted(SUITE_KEYS))})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SuiteError(path, "'name' must be a non-empty string")
    if name != path.stem:
        raise SuiteError(path, f"suite name {name!r} does not match the file name {path.name!r}")
    for key in ("meta", "suite_parameters"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise SuiteError(path, f"{key!r} must be an object")
    expectations = data.get("expectations")
    if not isinstance(expectations, list):
        raise SuiteError(path, "'expectations' must be a list")
    if not expectations and not allow_empty:
        raise SuiteError(path, "'expectations' is empty: a gate without expectations passes anything")


def _describe(index: int, raw: Any) -> str:
    kind = raw.get("type") if isinstance(raw, dict) else None
    return f"expectation #{index + 1}" + (f" ({kind})" if isinstance(kind, str) else "")


def _build_expectation(path: Path, index: int, raw: Any) -> Any:
    from great_expectations.exceptions import ExpectationNotFoundError
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
    from great_expectations.expectations.registry import list_registered_expectation_implementations

    where = _describe(index, raw)
    if not isinstance(raw, dict):
        raise SuiteError(path, f"{where}: must be an object, got {type(raw).__name__}")
    for key in raw:
        if key in _LEGACY_KEYS:
            raise SuiteError(path, f"{where}: {_legacy_hint(key)}")
        if key not in EXPECTATION_KEYS:
            raise SuiteError(
                path, f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(EXPECTATION_KEYS))})"
            )
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise SuiteError(path, f"{where}: 'type' must be a non-empty string")
    for key in ("kwargs", "meta"):
        if raw.get(key) is not None and not isinstance(raw[key], dict):
            raise SuiteError(path, f"{where}: {key!r} must be an object")
    condition = (raw.get("kwargs") or {}).get("row_condition")
    unquoted = re.sub(r'"[^"]*"|\'[^\']*\'', '""', condition) if isinstance(condition, str) else ""
    if re.search(r"[&|]|\b(and|or)\b", unquoted):
        # GX 1.24's great_expectations condition parser silently applies only the first clause
        # of a compound condition, which quietly weakens the expectation.
        raise SuiteError(
            path, f"{where}: compound row_condition {condition!r} is not supported (GX applies only its first clause)"
        )
    try:
        # Only pass what the file sets: GX 1.24 rejects an explicit ``severity=None``.
        optional = {k: raw[k] for k in ("meta", "notes", "description", "severity") if raw.get(k) is not None}
        config = ExpectationConfiguration(type=kind, kwargs=dict(raw.get("kwargs") or {}), **optional)
        return config.to_domain_obj()
    except ExpectationNotFoundError as exc:
        close = difflib.get_close_matches(kind, list_registered_expectation_implementations(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise SuiteError(path, f"{where}: unknown expectation type {kind!r}{hint}") from exc
    except Exception as exc:  # pydantic ValidationError, InvalidExpectationConfigurationError, ...
        detail = " ".join(str(exc).split())
        raise SuiteError(
            path, f"{where}: GX rejected it (kwargs {raw.get('kwargs')!r}): {detail}"
        ) from exc


def read_rule_file(path: Path | str, *, allow_empty: bool = False) -> dict[str, Any]:
    """The checked JSON of a suite file. ``allow_empty``: an empty ``expectations`` list is fine
    (a rule file that adds nothing to a dataset's contract baseline, :mod:`.contract_suite`)."""
    path = Path(path)
    data = _read(path)
    _check_suite_shape(path, data, allow_empty=allow_empty)
    return data


def build_suite(path: Path | str, data: dict[str, Any]) -> ExpectationSuite:
    """A GX ``ExpectationSuite`` from suite JSON ``data`` (already shape-checked); errors name ``path``."""
    path = Path(path)
    expectations = [_build_expectation(path, i, raw) for i, raw in enumerate(data["expectations"])]
    if not expectations:
        raise SuiteError(path, "no expectations: a gate without expectations passes anything")

    from great_expectations.core.expectation_suite import ExpectationSuite

    try:
        suite = ExpectationSuite(
            name=data["name"],
            expectations=expectations,
            meta=dict(data.get("meta") or {}),
            notes=data.get("notes"),
            suite_parameters=data.get("suite_parameters"),
            id=data.get("id"),
        )
    except Exception as exc:
        raise SuiteError(path, f"GX rejected the suite: {exc}") from exc
    if len(suite.expectations) != len(expectations):  # GX drops unbuildable ones with a log line
        raise SuiteError(
            path, f"GX kept {len(suite.expectations)} of {len(expectations)} expectations"
        )
    return suite


def load_suite(path: Path | str) -> ExpectationSuite:
    """Read ``path`` (``expectations/<name>.json``) and return a GX ``ExpectationSuite``.

    Raises :class:`SuiteError` (a ``ValueError``) naming the file when it is missing, is not
    valid JSON, has unknown keys, names an unknown expectation type or gives an expectation
    kwargs its class rejects.
    """
    return build_suite(path, read_rule_file(path))

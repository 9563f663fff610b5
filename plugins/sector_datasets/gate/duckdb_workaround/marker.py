"""The mark every patch leaves on its wrapper, so applying twice never wraps a wrapper."""

from __future__ import annotations

from typing import Any

MARKER = "__sector_datasets_duckdb_workaround__"


def mark(wrapper: Any) -> Any:
    """Tag ``wrapper`` as one of ours and return it."""
    setattr(wrapper, MARKER, True)
    return wrapper


def is_marked(obj: Any) -> bool:
    """Whether ``obj`` (a function, or a staticmethod around one) is one of our wrappers."""
    return bool(getattr(getattr(obj, "__func__", obj), MARKER, False))

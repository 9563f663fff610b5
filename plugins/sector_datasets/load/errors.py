"""The loader's errors, in a module of their own so that ``raw`` and ``source_contract`` both use them."""

from __future__ import annotations


class LoadError(ValueError):
    """A landed file cannot be parsed as its declared format."""

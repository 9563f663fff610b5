"""Atomic file writes for published pages: a reader (browser, portal harvester) sees the old file
or the new one, never half of one, even when two sector runs regenerate the same page at once."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def atomic_write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; published files are world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_json(path: Path, data: Any) -> Path:
    return atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def rel_url(target: Path, from_dir: Path) -> str:
    """A relative URL from a page in ``from_dir`` to ``target`` (works over file:// and HTTP)."""
    from urllib.parse import quote

    return quote(Path(os.path.relpath(target, from_dir)).as_posix())

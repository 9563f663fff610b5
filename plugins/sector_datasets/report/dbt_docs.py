"""``dbt docs generate`` output published with the reports (``reports/dbt-docs/``).

Too slow for the end of every sector run (measured on this 2-core machine under load: a full
``dbt parse`` of the project ≈ 40 s, then ``docs generate --no-compile`` ≈ 13 s, against a
report budget of about a second), so it is an operator command: ``cli publish-docs``
(``publish_docs``), or ``write_index(..., dbt_docs=True)``. The parse starts from the pipeline's
last ``partial_parse.msgpack`` when there is one, which makes it a partial parse.

Two steps, in dbt's own target folder for docs (``<home>/dbt/docs-target``) so they never touch
the ``manifest.json`` / ``run_results.json`` the pipeline's ``dbt build`` writes and reads:

1. ``dbt parse`` writes ``manifest.json`` (no warehouse access, no lock);
2. ``dbt docs generate --no-compile --static`` reads the warehouse's information schema for
   ``catalog.json`` — under the single-writer lock, as every process that opens the warehouse —
   and writes ``index.html`` and ``static_index.html`` (manifest and catalog inlined, so it also
   opens from ``file://``, where the browser refuses index.html's fetch of manifest.json).

``--no-compile`` skips compiling ~120 models and ~1,000 tests (~60 s); the docs then show
each model's SQL source but not its compiled SQL.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path

from sector_datasets.settings import Settings

log = logging.getLogger(__name__)

DOCS_DIR = "dbt-docs"
FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")
PARTIAL_PARSE = "partial_parse.msgpack"


class DocsError(RuntimeError):
    pass


def docs_target_dir(settings: Settings) -> Path:
    return settings.home / "dbt" / "docs-target"


def _dbt(settings: Settings, *args: str) -> list[str]:
    from sector_datasets.transform.build import dbt_command

    cmd = dbt_command(settings, *args)
    cmd[cmd.index("--target-path") + 1] = str(docs_target_dir(settings))
    return cmd


def _seed_partial_parse(settings: Settings, target: Path) -> None:
    """Start from the pipeline's newer parse state, if any: dbt re-parses only changed files, and
    falls back to a full parse by itself when the state does not match (version, project, vars)."""
    source = settings.dbt_target_dir / PARTIAL_PARSE
    seeded = target / PARTIAL_PARSE
    if source.is_file() and (not seeded.exists() or seeded.stat().st_mtime < source.stat().st_mtime):
        shutil.copyfile(source, seeded)


def _run(settings: Settings, cmd: list[str], label: str) -> float:
    from sector_datasets.transform.build import dbt_env

    started = time.monotonic()
    proc = subprocess.run(cmd, env=dbt_env(settings), capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-25:])
        raise DocsError(f"dbt {label} failed (exit {proc.returncode}):\n{tail}")
    log.info("dbt %s: %.1fs", label, elapsed)
    return elapsed


def generate_dbt_docs(settings: Settings) -> Path:
    """Run dbt parse + docs generate and copy the site into ``reports/dbt-docs/``."""
    from sector_datasets.warehouse import get_backend

    target = docs_target_dir(settings)
    target.mkdir(parents=True, exist_ok=True)
    _seed_partial_parse(settings, target)
    _run(settings, _dbt(settings, "parse"), "parse")
    with get_backend(settings).read_lock("dbt docs generate"):
        _run(settings, _dbt(settings, "docs", "generate", "--no-compile", "--static"), "docs generate")
    out = settings.reports_dir / DOCS_DIR
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        src = target / name
        if not src.exists():
            raise DocsError(f"dbt docs generate did not write {src}")
        tmp = out / f".{name}.tmp"
        shutil.copyfile(src, tmp)
        tmp.chmod(0o644)
        tmp.replace(out / name)
    return out / "index.html"


def docs_link(settings: Settings) -> Path | None:
    """The published dbt docs page to link to (the static one works everywhere), if any."""
    path = settings.reports_dir / DOCS_DIR / "static_index.html"
    return path if path.exists() else None


def model_anchor(model_name: str, project: str = "sector_datasets") -> str:
    return f"#!/model/model.{project}.{model_name}"


__all__ = ["DOCS_DIR", "DocsError", "docs_link", "generate_dbt_docs", "model_anchor"]

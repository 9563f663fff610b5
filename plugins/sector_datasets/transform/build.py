"""Run dbt for one sector: a single ``dbt build`` of the sector's marts and everything upstream.

One invocation per sector, not one Airflow task per model: dbt's start-up cost is paid once per
sector (measured in bench/), and dbt's own DAG orders staging → intermediate → marts. dbt runs
in this process through :mod:`.dbt_runner`, which also keeps the parsed project between
invocations (the parse once per process, not once per sector).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sector_datasets.transform import dbt_runner
from sector_datasets.records import JsonRecord
from sector_datasets.settings import Settings

log = logging.getLogger(__name__)


class TransformError(RuntimeError):
    """dbt could not run at all (compile error, missing profile), as opposed to a model failing."""


@dataclass(frozen=True)
class BuildResult(JsonRecord):
    sector_id: str
    run_id: str
    success: bool
    elapsed_s: float
    # model name → dbt status ("success", "error", "skipped") for every model in the selection
    models: dict[str, str] = field(default_factory=dict)
    # failing dbt tests / models: unique_id → message
    failures: dict[str, str] = field(default_factory=dict)
    # model name → failures in its own lineage (itself included): unique_id → message. A dataset
    # that did not build is reported with these only, not with the rest of the sector's.
    upstream_failures: dict[str, dict[str, str]] = field(default_factory=dict)
    # model name → warned key tests in its lineage: unique_id → message (fail its gate).
    upstream_key_warnings: dict[str, dict[str, str]] = field(default_factory=dict)
    # source id -> bilingual message: sources whose payload broke their contract at load (not
    # loaded); every dataset fed by one fails its gate with that message.
    source_violations: dict[str, str] = field(default_factory=dict)

    def model_built(self, model: str) -> bool:
        return self.models.get(model) == "success"


def dbt_env(settings: Settings) -> dict[str, str]:
    from sector_datasets.warehouse import get_backend

    env = dict(os.environ)
    env["SECTOR_DATASETS_WAREHOUSE"] = str(settings.warehouse_path)
    env.update(get_backend(settings).dbt_env())  # the profile output and its connection settings
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def dbt_args(settings: Settings, *args: str) -> list[str]:
    """A dbt command line after ``dbt``: ``args`` + this home's project, profile and target paths."""
    return [
        *args,
        "--project-dir", str(settings.dbt_project_dir),
        "--profiles-dir", str(settings.dbt_project_dir),
        "--target-path", str(settings.dbt_target_dir),
        "--log-path", str(settings.dbt_target_dir.parent / "logs"),
    ]


def dbt_command(settings: Settings, *args: str) -> list[str]:
    """The same as a process: the virtualenv's ``dbt`` executable (docs generation, benchmarks)."""
    return [str(Path(sys.executable).with_name("dbt")), *dbt_args(settings, *args)]


def selector_for(sector_id: str) -> str:
    """The sector's marts and everything upstream of them (staging views, shared dimensions)."""
    return f"+path:models/marts/{sector_id}"


def selection_args(sector_id: str, shared_sector_ids: Iterable[str] = ()) -> list[str]:
    """``--select`` the sector's lineage; ``--exclude`` the tests of the shared sectors' lineage.

    A sector rebuilds the shared dimensions it joins (dim_province, the population table), so its
    build never depends on when another DAG last ran; but their tests are the shared sector's
    own build's (the reference DAG), which gates and publishes those tables — run again in every
    sector they were ≈200 dbt nodes of the main job (issue 19). ``resource_type:test,+path:…``
    with cautious selection is exactly the tests whose every parent is in that lineage: a test
    joining this sector's model to a shared one (a relationships test) still runs here.
    "cautious" also keeps a relationships test from another sector's mart to a shared
    dimension out of this build (it would fail: that mart is not built here).
    """
    args = ["--select", selector_for(sector_id), "--indirect-selection", "cautious"]
    for shared in sorted(set(shared_sector_ids) - {sector_id}):
        args += ["--exclude", f"resource_type:test,{selector_for(shared)}"]
    return args


def build_sector(
    settings: Settings, sector_id: str, run_id: str, extra_args: tuple[str, ...] = (), *,
    shared_sector_ids: Iterable[str] = (),
) -> BuildResult:
    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    args = dbt_args(settings, "build", *selection_args(sector_id, shared_sector_ids), *extra_args)
    log.info("sector %s: dbt %s", sector_id, " ".join(args))
    results_path = settings.dbt_target_dir / "run_results.json"
    results_path.unlink(missing_ok=True)  # never read a previous build's results as this one's
    outcome = dbt_runner.invoke(args, dbt_env(settings))
    if outcome.returncode not in (0, 1) or not results_path.exists():
        raise TransformError(
            f"sector {sector_id!r}: dbt build could not run (exit {outcome.returncode}):\n{outcome.tail()}"
        )
    return parse_run_results(json.loads(results_path.read_text()), sector_id, run_id, outcome.lineage)


# Generic tests that guard a key's uniqueness. Staging tests only warn (so the gate, not dbt, decides and
# reports), but a duplicated key upstream silently multiplies rows in every
# join below it, which a mart's own suite cannot always see: such a warning blocks the lineage.
KEY_TESTS = frozenset({"unique", "unique_combination_of_columns"})


def parse_run_results(results: dict, sector_id: str, run_id: str, manifest: dict | None = None) -> BuildResult:
    models: dict[str, str] = {}
    failures: dict[str, str] = {}
    key_warnings: dict[str, str] = {}
    for node in results.get("results", []):
        unique_id: str = node["unique_id"]
        status = node.get("status")
        message = (node.get("message") or status or "").strip()
        if unique_id.startswith("model."):
            models[unique_id.split(".")[-1]] = status
        if status in ("error", "fail"):
            failures[unique_id] = message
        elif status == "warn" and manifest and _test_name(manifest, unique_id) in KEY_TESTS:
            key_warnings[unique_id] = f"key test warned: {message}"
    return BuildResult(
        sector_id=sector_id,
        run_id=run_id,
        success=not failures,
        elapsed_s=float(results.get("elapsed_time", 0.0)),
        models=models,
        failures=failures,
        upstream_failures=_attribute(failures, models, manifest) if manifest else {},
        upstream_key_warnings=_attribute(key_warnings, models, manifest) if manifest else {},
    )


def _test_name(manifest: dict, unique_id: str) -> str | None:
    node = manifest.get("nodes", {}).get(unique_id) or {}
    return (node.get("test_metadata") or {}).get("name")


def _attribute(issues: dict[str, str], models: dict[str, str], manifest: dict) -> dict[str, dict[str, str]]:
    """For each built model, the issues reported on it or on any of its ancestors."""
    parents: dict[str, list[str]] = manifest.get("parent_map", {})
    ancestors_cache: dict[str, set[str]] = {}

    def ancestors(node_id: str) -> set[str]:
        if node_id not in ancestors_cache:
            ancestors_cache[node_id] = set()  # guards against cycles while it is computed
            found = {node_id}
            for parent in parents.get(node_id, []):
                found |= ancestors(parent)
            ancestors_cache[node_id] = found
        return ancestors_cache[node_id]

    # An issue on a test belongs to the models it tests; an issue on a model, to the model.
    owners = {
        issue: set(parents.get(issue, [])) if issue.startswith("test.") else {issue} for issue in issues
    }
    out: dict[str, dict[str, str]] = {}
    for node_id in manifest.get("nodes", {}):
        if not node_id.startswith("model.") or node_id.split(".")[-1] not in models:
            continue
        lineage = ancestors(node_id)
        found = {issue: issues[issue] for issue, tested in owners.items() if tested & lineage}
        if found:
            out[node_id.split(".")[-1]] = found
    return out

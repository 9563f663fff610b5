"""STAND-INS for lane H1 (``review.diff`` and ``state.diffs``), used ONLY by these tests until H1 merges.

Installed into ``sys.modules`` only when the real modules are missing, so the tests run on the
real ones once they exist. Minimal: rows added / removed / changed by the contract's key, in SQL;
no tolerance, series or period detail (the policy still sees removed shares and revisions).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import types
from typing import Any

from sector_datasets.review.records import DiffSummary, PolicyOutcome, Reason


def _compute_diff(con: Any, dataset, candidate: str, served: str | None, run_id: str) -> DiffSummary:
    after = con.execute(f"SELECT count(*) FROM {candidate}").fetchone()[0]
    if served is None:
        return DiffSummary(dataset.id, run_id, None, 0, after, added=after)
    before = con.execute(f"SELECT count(*) FROM {served}").fetchone()[0]
    key = dataset.primary_key
    on = " AND ".join(f"c.{k} = s.{k}" for k in key)
    added = con.execute(f"SELECT count(*) FROM {candidate} c ANTI JOIN {served} s ON {on}").fetchone()[0]
    removed = con.execute(f"SELECT count(*) FROM {served} s ANTI JOIN {candidate} c ON {on}").fetchone()[0]
    cols = [r[0] for r in con.execute(f"SELECT * FROM {candidate} LIMIT 0").description]
    differs = " OR ".join(f"c.{c} IS DISTINCT FROM s.{c}" for c in cols if c not in key)
    changed = con.execute(f"SELECT count(*) FROM {candidate} c JOIN {served} s ON {on} WHERE {differs}").fetchone()[0]
    version = int(re.search(r"__v(\d+)", served).group(1))
    return DiffSummary(dataset.id, run_id, version, before, after, added=added, removed=removed, changed=changed)


def _release_note(diff: DiffSummary, outcome: PolicyOutcome) -> Reason:
    return Reason(f"{diff.added} added, {diff.removed} removed, {diff.changed} revised.",
                  f"{diff.added} dòng thêm, {diff.removed} dòng mất, {diff.changed} dòng sửa.")


def _record_diff(con: Any, sector_id: str, diff: DiffSummary, outcome: PolicyOutcome, to_version: int | None) -> None:
    con.execute(
        "INSERT INTO quality.diffs VALUES (?, ?, ?, ?, ?, ?, CAST(? AS JSON), CAST(? AS JSON), current_timestamp)",
        [diff.dataset_id, sector_id, diff.run_id, diff.from_version, to_version, outcome.action,
         json.dumps(diff.to_dict()), json.dumps(outcome.to_dict())],
    )


def install() -> list[str]:
    """Install the stand-ins that are missing; returns which were installed."""
    installed = []
    for name, funcs in (
        ("sector_datasets.review.diff", {"compute_diff": _compute_diff, "release_note": _release_note}),
        ("sector_datasets.state.diffs", {"record_diff": _record_diff}),
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            module = types.ModuleType(name)
            module.__dict__.update(funcs)
            sys.modules[name] = module
            installed.append(name)
    return installed

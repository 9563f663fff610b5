"""The platform as it was at another git revision, to measure "before" in the same run as "after".

``export(rev)`` writes the repository's files at ``rev`` (``git archive``: the .git folder and the
working tree are left alone) into a private folder. Its code then runs with this checkout's
virtualenv: ``env_at(tree, env)`` points PYTHONPATH at the old ``plugins/``, and everything the
platform finds from its own location (DAGs, dbt project, suites, registry) is the old one too.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from bench.common import REPO, bench_root, log

#: The commit the speed-ups of issue 7 started from (docs/benchmarks.md "Baseline").
BASELINE = "d3f4221"


def export(rev: str = BASELINE) -> Path:
    """The tree of ``rev`` under the bench folder (reused if already exported)."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=12", f"{rev}^{{commit}}"],
                         check=True, capture_output=True, text=True).stdout.strip()
    target = bench_root() / f"tree-{sha}"
    if not (target / "plugins").is_dir():
        log(f"exporting revision {rev} ({sha}) to {target} (git archive) …")
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", sha],
                                 check=True, capture_output=True).stdout
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target


def env_at(tree: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` with the code of ``tree`` first on the import path."""
    return {**env, "PYTHONPATH": f"{tree / 'plugins'}:{tree}"}

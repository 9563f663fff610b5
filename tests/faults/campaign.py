"""A campaign: one private platform per test module, the last good version built once, then the
catalogue's faults injected one after another, each observed before, during and after.

Cheap faults (those that stop a run at extract or load) get a run of their own. Faults that need
dbt and the gate are run in *groups*: one sector run carries one fault per independent lineage
(the groups are checked to touch disjoint sets of datasets, so every dataset's run sees exactly
one fault), and the rerun after the faults are removed is shared by the cases it follows.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sector_datasets.orchestration import inline

from sector_datasets.orchestration import stages

from sector_datasets.state import runlog
from sector_datasets.state.layout import landing_path
from sector_datasets.registry import load_registry
from sector_datasets.settings import REPO_ROOT, get_settings
from tests.faults.faultlib import (
    OBSERVATIONS,
    TIMINGS,
    Case,
    FaultServer,
    Observation,
    capture,
    captured_logs,
)
from tests.helpers import copy_snapshot

Inject = Callable[[], contextlib.AbstractContextManager]


def no_fault() -> contextlib.AbstractContextManager:
    return contextlib.nullcontext()


class Campaign:
    def __init__(self, sector_id: str, home: Path, snapshot: Path, server: FaultServer) -> None:
        self.sector_id = sector_id
        self.home = home
        self.snapshot = snapshot
        self.server = server
        self.settings = get_settings()
        self.registry = load_registry(self.settings.registry_dir)
        self.sector = self.registry.sector(sector_id)
        self.datasets = tuple(ds.id for ds in self.sector.datasets)
        self.sources = {s.id: s for s in self.registry.sources_for(self.sector)}
        self.good: dict = {}
        self.good_run = ""
        self.obs: dict[str, Observation] = {}
        self.timings: dict[str, float] = {}

    # ------------------------------------------------------------------ helpers

    def path(self, source_id: str) -> Path:
        return self.snapshot / self.sources[source_id].snapshot

    def url_path(self, source_id: str) -> str:
        return self.sources[source_id].snapshot

    def lineage(self, source_id: str) -> tuple[str, ...]:
        return tuple(ds.id for ds in self.sector.datasets if source_id in ds.sources)

    def state(self) -> dict:
        s = get_settings()
        return capture(s.warehouse_path, s.exports_dir, self.registry, self.sector_id)

    def events(self, run_id: str) -> list[dict]:
        return runlog.read_events(self.settings.home, self.sector_id, run_id)

    def landed(self, run_id: str, source_id: str) -> bool:
        return landing_path(self.settings.landing_dir, self.sector_id, run_id, source_id).exists()

    def good_manifest(self, source_id: str) -> dict:
        return next(
            e["result"] for e in self.events(self.good_run) if e["stage"] == "extract" and e["target"] == source_id
        )

    def run(self, run_id: str) -> tuple[Exception | None, dict]:
        t0 = time.monotonic()
        try:
            return None, inline.run_sector(self.sector_id, run_id)
        except Exception as exc:  # a failed run is an observation, not a test error
            return exc, {}
        finally:
            self.timings[run_id] = round(time.monotonic() - t0, 1)

    def new_obs(self, case: Case) -> Observation:
        obs = Observation(case=case)
        self.obs[case.id] = obs
        OBSERVATIONS[case.id] = obs
        return obs

    @contextlib.contextmanager
    def timed(self, label: str) -> Iterator[None]:
        t0 = time.monotonic()
        try:
            yield
        finally:
            TIMINGS[f"{self.sector_id}: {label}"] = round(time.monotonic() - t0, 1)

    @contextlib.contextmanager
    def guarded(self, *observations: Observation) -> Iterator[None]:
        """A broken injection or an unexpected crash is recorded on the cases, never raised."""
        try:
            yield
        except Exception:
            for obs in observations:
                obs.error = traceback.format_exc(limit=6)
        finally:
            self.server.clear()

    # ------------------------------------------------------------------ phases

    def build_good(self, run_id: str = "good_r0") -> None:
        exc, outcomes = self.run(run_id)
        bad = {d: str(o)[:300] for d, o in outcomes.items() if not isinstance(o, dict)}
        if exc or bad:
            pytest.fail(f"the last good version could not be built: {exc or bad}")
        self.good_run = run_id
        self.good = self.state()

    def failing_run(self, case: Case, inject: Inject) -> Observation:
        """A fault that must stop the run before anything is published (extract, load, transform)."""
        obs = self.new_obs(case)
        obs.scope = self.datasets
        with self.guarded(obs):
            obs.before = self.state()
            since = len(self.server.hits)
            with inject():
                exc, outcomes = self.run(case.id)
            obs.after_fault = self.state()
            obs.events = self.events(case.id)
            failed = [e for e in obs.events if e["status"] == "failed"]
            obs.notes["hits"] = len(self.server.hits_for(self.url_path(case.target), since)) if case.target in self.sources else None
            obs.notes["landed"] = self.landed(case.id, case.target) if case.target in self.sources else None
            obs.notes["failed_stage"] = failed[0]["stage"] if failed else None
            if exc is not None:
                obs.outcome = "failed"
                obs.message = f"{type(exc).__name__}: {exc}"
            else:
                obs.outcome, obs.message = classify(outcomes, self.datasets, self.datasets)
        return obs

    def extract_only(self, case: Case, inject: Inject) -> Observation:
        """A transient HTTP fault the extract stage must absorb: the landing equals the good one."""
        obs = self.new_obs(case)
        obs.scope = self.datasets
        with self.guarded(obs):
            obs.before = self.state()
            since = len(self.server.hits)
            with inject(), captured_logs("sector_datasets.extract.http_client") as logs:
                try:
                    manifest = stages.extract(self.sector_id, case.target, case.id)
                except Exception as exc:
                    manifest, obs.outcome, obs.message = None, "failed", f"{type(exc).__name__}: {exc}"
            obs.after_fault = self.state()
            hits = self.server.hits_for(self.url_path(case.target), since)
            obs.notes["hits"] = len(hits)
            obs.notes["gaps_s"] = [round(b.at - a.at, 2) for a, b in zip(hits, hits[1:])]
            if manifest is not None:
                same = manifest["sha256"] == self.good_manifest(case.target)["sha256"]
                obs.notes["landing_equals_good"] = same
                obs.outcome = "absorbed" if same else "published"
                obs.message = " | ".join(logs.messages)
        return obs

    def group_run(self, group: str, members: list[tuple[Case, Inject]]) -> None:
        """One sector run carrying one fault per independent lineage (checked disjoint)."""
        observations = [self.new_obs(case) for case, _ in members]
        with self.guarded(*observations):
            scopes = []
            for obs in observations:
                obs.scope = self.lineage(obs.case.target)
                scopes.append(set(obs.scope))
            for i, a in enumerate(scopes):
                for b in scopes[i + 1:]:
                    assert not a & b, f"group {group}: lineages overlap on {a & b}; faults would be confounded"
            before = self.state()
            run_id = f"group_{group}"
            with contextlib.ExitStack() as stack:
                for _, inject in members:
                    stack.enter_context(inject())
                exc, outcomes = self.run(run_id)
            after = self.state()
            events = self.events(run_id)
            for obs in observations:
                obs.before, obs.after_fault, obs.events = before, after, events
                obs.notes["run"] = run_id
                if exc is not None:
                    obs.outcome, obs.message = "failed", f"{type(exc).__name__}: {exc}"
                else:
                    obs.outcome, obs.message = classify(outcomes, obs.scope, obs.case.hits)
                    obs.notes["outcomes"] = {d: _short(outcomes.get(d)) for d in obs.scope}

    def recovery(self, run_id: str, covered: list[Observation], inject: Inject = no_fault) -> tuple[Exception | None, dict]:
        """The rerun after the faults are removed; it is (c) for every observation in ``covered``."""
        before = self.state()
        with inject():
            exc, outcomes = self.run(run_id)
        after = self.state()
        for obs in covered:
            obs.recovery_run = run_id
            obs.before_recovery = before
            obs.recovery = {d: (outcomes.get(d) if exc is None else f"run failed: {exc}") for d in self.datasets}
            obs.after_recovery = after
            if not obs.good:
                obs.good = self.good
        return exc, outcomes

    # ------------------------------------------------------------------ subprocesses

    def subprocess_env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT / "plugins"), str(REPO_ROOT)])
        env.update(extra)
        return env

    @property
    def python(self) -> str:
        return sys.executable


def _short(outcome) -> str:
    if isinstance(outcome, dict):
        return f"v{outcome['version']} ({'new' if outcome['new_version'] else 'unchanged'})"
    return f"{type(outcome).__name__}" if outcome is not None else "missing"


def classify(outcomes: dict, scope, hits) -> tuple[str, str]:
    """quarantined: every dataset the fault hits failed its gate and nothing in its lineage moved;
    absorbed: everything passed unchanged; published: a new version got out."""
    if any(isinstance(outcomes.get(d), dict) and outcomes[d]["new_version"] for d in scope):
        moved = [d for d in scope if isinstance(outcomes.get(d), dict) and outcomes[d]["new_version"]]
        failed = [str(outcomes[d]) for d in scope if isinstance(outcomes.get(d), Exception)]
        return "published", f"new version(s) of {moved} published; " + " | ".join(failed)
    gated = [d for d in hits if isinstance(outcomes.get(d), stages.GateFailed)]
    others_ok = all(isinstance(outcomes.get(d), (dict, stages.GateFailed)) for d in scope)
    message = " | ".join(str(outcomes[d]) for d in scope if isinstance(outcomes.get(d), Exception))
    if hits and len(gated) == len(hits) and others_ok:
        return "quarantined", message
    if not hits and all(isinstance(outcomes.get(d), dict) for d in scope):
        return "absorbed", "all datasets passed their gates; no new version"
    return "unexpected", message or str({d: _short(outcomes.get(d)) for d in scope})


@contextlib.contextmanager
def platform_env(home: Path, snapshot: Path, server_url: str) -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    for var in ("SECTOR_DATASETS_EXPORTS", "SECTOR_DATASETS_WAREHOUSE", "SECTOR_DATASETS_REGISTRY"):
        mp.delenv(var, raising=False)
    mp.setenv("SECTOR_DATASETS_HOME", str(home))
    mp.setenv("SECTOR_DATASETS_SNAPSHOT_DIR", str(snapshot))
    mp.setenv("SECTOR_DATASETS_SOURCE_MODE", "replay")
    mp.setenv("SECTOR_DATASETS_REPLAY_URL", server_url)
    mp.setenv("SECTOR_DATASETS_HTTP_BACKOFF", "0.01")
    mp.setenv("SECTOR_DATASETS_HTTP_TIMEOUT", "1.0")
    mp.setenv("SECTOR_DATASETS_HTTP_ATTEMPTS", "4")
    mp.setenv("SECTOR_DATASETS_READER_WAIT", "2")  # the locked-by-reader case need not wait a minute
    try:
        yield
    finally:
        mp.undo()


@contextlib.contextmanager
def campaign_platform(tmp_path_factory, sector_id: str, files: list[str]) -> Iterator[tuple[Path, Path, FaultServer]]:
    """A private home, a private snapshot (copies of the real files) and the fault server over it,
    with the environment pointing the platform at them."""
    home = tmp_path_factory.mktemp(f"faults_{sector_id}_home")
    snapshot = copy_snapshot(files, tmp_path_factory.mktemp(f"faults_{sector_id}_snapshot"))
    server = FaultServer(snapshot)
    try:
        with platform_env(home, snapshot, server.base_url):
            yield home, snapshot, server
    finally:
        server.close()


__all__ = ["Campaign", "campaign_platform", "classify", "no_fault", "platform_env"]

"""Command line: the main job and the operator commands.

    python -m sector_datasets.cli --help           every command (run, ui, serve, versions, approve, …)
    python -m sector_datasets.cli COMMAND --help   one command's options

The Makefile wraps these; `make help` lists the targets. The scale-out harness (every sector on
CeleryExecutor, N workers) is a development tool: ``python -m devtools.scaleout --workers N``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sector_datasets import scaffold
from sector_datasets.orchestration.airflow_env import airflow_environment, ui_url
from sector_datasets.registry import RegistryError, load_registry
from sector_datasets.settings import APPROVALS_ENV, RENDER_SITE_ENV, Settings, get_settings
from sector_datasets.state import layout

if TYPE_CHECKING:
    from sector_datasets.orchestration.dag_batch import PoolSpec

log = logging.getLogger("sector_datasets")


def _airflow(settings: Settings, *args: str, check: bool = True, quiet: bool = False) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("airflow")
    env = _airflow_env(settings)
    kwargs = {"capture_output": True, "text": True} if quiet else {}
    proc = subprocess.run([str(exe), *args], env=env, check=False, **kwargs)
    if check and proc.returncode != 0:
        detail = (proc.stdout or "")[-2000:] + (proc.stderr or "")[-2000:] if quiet else ""
        raise SystemExit(f"airflow {' '.join(args)} failed with exit code {proc.returncode}\n{detail}")
    return proc


def _writer_pool(settings: Settings) -> PoolSpec:
    from sector_datasets.orchestration.dag_batch import PoolSpec
    from sector_datasets.orchestration.writer_pool import WRITER_POOL, writer_pool

    return PoolSpec(WRITER_POOL, *writer_pool(settings.warehouse_kind))


def _airflow_env(settings: Settings) -> dict[str, str]:
    (settings.home / "airflow").mkdir(parents=True, exist_ok=True)
    return {**os.environ, **airflow_environment(settings)}


def init_airflow(settings: Settings) -> None:
    """Migrate the metadata DB (idempotent) and create the warehouse writer pool."""
    from sector_datasets.orchestration.dag_batch import prepare_airflow

    print("· initialising Airflow metadata DB (airflow db migrate)…", flush=True)
    proc = prepare_airflow(_airflow_env(settings), _writer_pool(settings))
    if proc.returncode != 0:
        raise SystemExit(
            f"airflow db migrate / pool failed with exit code {proc.returncode}\n{proc.stdout[-4000:]}"
        )


class MissingSnapshot(RuntimeError):
    """Replay mode without the snapshot directory: every extract would fail after its retries."""


def _require_snapshot(settings: Settings) -> None:
    """Fail in a second, not after every source's retries, when the replayed payloads are absent."""
    if settings.source_mode == "replay" and not settings.snapshot_dir.is_dir():
        raise MissingSnapshot(
            f"the snapshot directory {settings.snapshot_dir} does not exist: replay mode serves the recorded "
            "payloads from it. Put the shared data beside the clone (../shared/data), point "
            "SECTOR_DATASETS_SNAPSHOT_DIR at it, or fetch live with SECTOR_DATASETS_SOURCE_MODE=live "
            "(thư mục dữ liệu ghi sẵn không tồn tại)"
        )


def run_sectors(settings: Settings, sector_ids: list[str]) -> int:
    """Every selected sector's DAG through ``dag.test()``, in registry run order, in one Airflow
    interpreter (:mod:`.dag_batch`); a log per DAG, the summary table; 1 if any sector failed."""
    from sector_datasets.orchestration.airflow_env import task_logs_root
    from sector_datasets.orchestration.dag_batch import DagBegun, run_dags
    from sector_datasets.orchestration.task_logs import split_dag_test_log
    from sector_datasets.report import write_index

    registry = load_registry(settings.registry_dir)
    ordered = registry.run_order(sector_ids)
    _require_snapshot(settings)
    # SIGTERM (a supervisor, `kill`) unwinds like Ctrl-C, so run_dags stops the Airflow
    # interpreter and its children instead of leaving them running.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    started = time.monotonic()
    by_dag = {registry.sector(s).dag_id: registry.sector(s) for s in ordered}
    failures, begun = [], 0
    print(f"· migrating the Airflow metadata DB, then {len(ordered)} DAG(s) with dag.test() "
          "in one Airflow interpreter …", flush=True)
    env = {**_airflow_env(settings), RENDER_SITE_ENV: "0"}  # the site once, after the batch
    for event in run_dags(env, list(by_dag), settings.home / "logs", _writer_pool(settings)):
        sector = by_dag[event.dag_id]
        if isinstance(event, DagBegun):
            begun += 1
            print(f"· [{begun}/{len(ordered)}] {sector.dag_id}: {len(registry.sources_for(sector))} sources, "
                  f"{len(sector.datasets)} datasets — dag.test …", flush=True)
            continue
        split_dag_test_log(event.log_path, task_logs_root(env))
        print(f"  {'ok' if event.ok else 'FAILED'} in {event.seconds:.1f}s (log: {event.log_path})", flush=True)
        if not event.ok:
            failures.append(sector.id)
    print("· rendering the quality site (every sector, the DCAT catalogue) …", flush=True)
    write_index(settings, registry)
    print_summary(settings, ordered)
    print(f"\nwall time: {time.monotonic() - started:.1f}s")
    if failures:
        print(f"sectors with failures: {', '.join(failures)} — see the reports above for what failed and where")
        return 1
    return 0


def summary_rows(settings: Settings, sector_ids: list[str] | None = None) -> list[dict]:
    from sector_datasets.state import runlog
    from sector_datasets.gate.verdicts import load_verdict
    from sector_datasets.report.sector_report import current_metadata

    registry = load_registry(settings.registry_dir)
    rows = []
    for sector in registry.sectors.values():
        if sector_ids and sector.id not in sector_ids:
            continue
        run_id = runlog.latest_run(settings.home, sector.id)
        events = runlog.read_events(settings.home, sector.id, run_id) if run_id else []
        for ds in sector.datasets:
            meta = current_metadata(settings, sector.id, ds.id)
            verdict = None
            if run_id:
                real_run = next((e["run_id"] for e in events), run_id)
                verdict = load_verdict(settings, sector.id, ds.id, real_run)
            gate = "not run" if verdict is None else ("passed" if verdict["success"] else "FAILED")
            this_run = _this_run(events, ds.id, partial(_approval_of, settings, sector.id, ds.id))
            if verdict is None and this_run == "unchanged (skipped)":
                gate = "passed"  # the served version passed its gate in the run it was confirmed by
            rows.append(
                {
                    "sector": sector.id,
                    "dataset": ds.id,
                    "rows": meta["row_count"] if meta else None,
                    "gate": gate,
                    "version": f"v{meta['version']}" if meta else "—",
                    "this run": this_run,
                }
            )
    return rows


def _approval_of(settings: Settings, sector_id: str, dataset_id: str, version: int | None) -> dict | None:
    path = layout.metadata_file(layout.version_dir(settings.exports_dir, sector_id, dataset_id, version or 0))
    return (json.loads(path.read_text(encoding="utf-8")).get("changes") or {}).get("approval") if path.exists() else None


def _this_run(events: list[dict], dataset_id: str, approval_of: Callable[[int], dict | None] | None = None) -> str:
    """What the latest run did to a dataset: new version, same content, skipped, failed."""
    mine = [e for e in events if e.get("target") == dataset_id and e.get("stage") in ("gate", "publish", "approval")]
    if any(e["status"] == "failed" for e in mine):
        return "failed"
    if mine and mine[-1]["stage"] == "approval":  # a held version decided since (cli approve / reject)
        return mine[-1]["message"]
    publish = next((e for e in reversed(mine) if e["stage"] == "publish"), None)
    if publish is None:
        return "—"
    if publish["status"] == "skipped":
        return "unchanged (skipped)"
    result = publish.get("result") or {}
    if result.get("held"):
        from sector_datasets.state.approvals import awaiting_hint

        # Decided since (by a later `cli approve`/`reject`)? The held version's metadata.json says.
        decided = ((approval_of(result.get("version")) if approval_of else None) or {})
        if decided.get("status") not in (None, "awaiting"):
            return f"v{result.get('version')} {decided['status']} by {decided.get('by')}"
        return awaiting_hint(dataset_id, result.get("version"))
    if result.get("pinned") and result.get("new_version"):
        return f"new v{result.get('version')} kept (pinned)"
    return "new version" if result.get("new_version") else "same content"


def print_summary(settings: Settings, sector_ids: list[str] | None = None) -> None:
    rows = summary_rows(settings, sector_ids)
    headers = ("sector", "dataset", "rows", "gate", "version", "this run")
    widths = {h: max(len(h), *(len(str(r[h] if r[h] is not None else "—")) for r in rows)) if rows else len(h) for h in headers}
    print()
    print("  ".join(h.ljust(widths[h]) for h in headers))
    print("  ".join("-" * widths[h] for h in headers))
    for r in rows:
        print("  ".join(str(r[h] if r[h] is not None else "—").ljust(widths[h]) for h in headers))
    print()
    from sector_datasets.warehouse import get_backend

    print(f"warehouse:       {get_backend(settings).describe()}")
    print(f"exports:         {settings.exports_dir}  (read-only catalog: {layout.catalog_file(settings.exports_dir)})")
    print(f"quality reports: {layout.overview_page(settings.reports_dir)}")
    print(f"task logs:       the Airflow UI (make ui → a DAG run → a task → Logs); whole DAGs in {settings.home / 'logs'}")


def main(argv: list[str] | None = None) -> int:
    from sector_datasets.api.serve import DESCRIPTION as serve_doc

    parser = argparse.ArgumentParser(prog="sector-datasets", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="run sector DAGs end to end through Airflow (dag.test() of each, in one Airflow interpreter)")
    p_run.add_argument("--sector", action="append", default=[], help="sector id (repeatable); default: all")
    p_run.add_argument("--force", action="store_true", help="rebuild even if sources, dbt models and suites are unchanged")
    p_af = sub.add_parser("airflow", help="run an airflow command with this project's configuration")
    p_af.add_argument("args", nargs=argparse.REMAINDER)
    p_ui = sub.add_parser("ui", help="start the Airflow UI (airflow standalone) on http://localhost:8080")
    p_ui.add_argument("--port", type=int, help="the UI's port (default: AIRFLOW__API__PORT, else 8080); tasks report to it")
    p_rec = sub.add_parser("record", help="fetch live sources into a snapshot directory (same layout as replay)")
    p_rec.add_argument("--out", required=True, type=Path)
    p_rec.add_argument("--sector", action="append", default=[])
    p_rec.add_argument("--overwrite", action="store_true")
    p_rb = sub.add_parser(
        "rollback",
        help="serve a kept version (older or newer) from curated.<dataset> and the exports, and pin it",
        description="Serve a kept version and pin it: later runs keep new versions without serving them "
        "until `unpin`. --no-pin serves it until the next new version.",
    )
    p_rb.add_argument("dataset")
    p_rb.add_argument("version", type=int)
    p_rb.add_argument("--no-pin", action="store_true", help="do not pin: the next new version is served again")
    p_rb.add_argument("--reason", default="", help="why (kept in meta.current)")
    p_up = sub.add_parser("unpin", help="release a pin and serve the newest kept version")
    p_up.add_argument("dataset")
    p_vs = sub.add_parser("versions", help="every published version of a dataset: kept, served, pinned, and its release note")
    p_vs.add_argument("dataset")
    p_df = sub.add_parser("diff", help="what a kept version changes against another (default: served vs newest/previous)")
    p_df.add_argument("dataset")
    p_df.add_argument("versions", nargs="*", type=int, help="V1 V2: V2 against V1")
    p_ap = sub.add_parser("approve", help="serve the version the publish policy held for approval, record who and when")
    p_rj = sub.add_parser("reject", help="do not serve the held version (the served one stays), record who and why")
    for p in (p_ap, p_rj):
        p.add_argument("dataset")
        p.add_argument("--version", type=int, default=None, help="default: the newest version awaiting approval")
        p.add_argument("--by", default=getpass.getuser(), help="who decides (default: your login)")
    p_rj.add_argument("--reason", required=True, help="why the version is not served (kept in meta.approvals)")
    p_pr = sub.add_parser("prune", help="drop versions beyond the newest N (never the served or a pinned one)")
    p_pr.add_argument("--dataset", action="append", default=[], help="dataset id (repeatable); default: all")
    p_pr.add_argument("--keep", type=int, default=None, help="default: SECTOR_DATASETS_KEEP_VERSIONS (5)")
    sub.add_parser("summary", help="print the published datasets table")
    sub.add_parser(
        "publish-docs",
        help="dbt docs generate into reports/dbt-docs/ and link every report page to it (≈25 s; not run per sector run)",
    )
    sub.add_parser(
        "sync-dbt",
        help="regenerate the dbt ymls that come from the registry: mart docs and tests, sources, scenario exposures",
    )
    p_sv = sub.add_parser("serve", help="the open-data read API over the exports (http://127.0.0.1:8000/docs)", description=serve_doc)
    for flag, kind, default in (("--host", str, "127.0.0.1"), ("--port", int, 8000), ("--exports", Path, None)):
        p_sv.add_argument(flag, type=kind, default=default, help=f"default: {default or 'the configured exports folder'}")
    p_sc = sub.add_parser(
        "scenarios", help="run every usage scenario against the curated tables (or show their SQL)",
        description="Run each usage scenario's SQL (include/scenarios/<sector>/<id>.sql) and check its result: on "
        "the DuckDB warehouse, else on the exports' catalog.duckdb, or on --catalog.")
    p_sc.add_argument("--sector", action="append", default=[], help="sector id (repeatable); default: all")
    p_sc.add_argument("--show", action="store_true", help="print each scenario's question and SQL; run nothing")
    p_sc.add_argument("--csv", type=Path, metavar="DIR", help="also write each result to DIR/<sector>__<scenario>.csv")
    p_sc.add_argument("--catalog", type=Path, metavar="PATH",
                      help="run on this catalog.duckdb (e.g. a copied exports folder's) instead")
    p_nd = sub.add_parser("new-dataset", help="scaffold a dataset: contract entry, mart SQL, rule file",
                          description=scaffold.HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p_nd.add_argument("sector")
    p_nd.add_argument("dataset")
    p_nd.add_argument("--sources", default="", help="comma-separated source ids the dataset is built from")
    p_nd.add_argument("--inputs", default="", help="comma-separated published datasets (cross-sector datasets)")
    p_nd.add_argument("--period", help="the period column (e.g. year): key column and promise.period")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return _dispatch(args, get_settings())
    except (RegistryError, MissingSnapshot) as exc:  # the user's input: a message, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        if args.force:
            os.environ["SECTOR_DATASETS_FORCE_RUN"] = "1"  # inherited by the Airflow interpreter
        # dag.test() cannot wait for a person: a held version is reported with `cli approve`/`reject`.
        os.environ[APPROVALS_ENV] = "cli"
        return run_sectors(settings, args.sector)
    if args.command == "airflow":
        return _airflow(settings, *args.args, check=False).returncode
    if args.command == "serve":
        from sector_datasets.api.serve import serve

        return serve(settings, args.host, args.port, args.exports)
    if args.command == "ui":
        if args.port:  # this process and every Airflow component it starts (tasks, alerts' links)
            os.environ["AIRFLOW__API__PORT"] = str(args.port)
        init_airflow(settings)
        print(f"Starting Airflow on {ui_url(_airflow_env(settings))} — log in as 'admin'; the password is in "
              f"{settings.home / 'airflow' / 'simple_auth_manager_passwords.json.generated'}", flush=True)
        return _airflow(settings, "standalone", check=False).returncode
    if args.command == "record":
        return _record(settings, args.out, args.sector, args.overwrite)
    if args.command == "diff":
        from sector_datasets.review.cli_diff import show_diff

        return show_diff(settings, args.dataset, args.versions)
    if args.command in ("rollback", "unpin", "versions", "prune", "approve", "reject"):
        from sector_datasets.orchestration import serving_commands as sc

        if args.command == "rollback":
            return sc.rollback_cmd(settings, args.dataset, args.version, pin=not args.no_pin, reason=args.reason)
        if args.command == "unpin":
            return sc.unpin_cmd(settings, args.dataset)
        if args.command == "versions":
            return sc.versions_cmd(settings, args.dataset)
        if args.command == "approve":
            return sc.approve_cmd(settings, args.dataset, args.version, args.by)
        if args.command == "reject":
            return sc.reject_cmd(settings, args.dataset, args.version, args.by, args.reason)
        return sc.prune_cmd(settings, args.dataset, args.keep)
    if args.command == "summary":
        print_summary(settings)
        return 0
    if args.command == "publish-docs":
        return _publish_docs(settings)
    if args.command == "sync-dbt":
        from sector_datasets.transform.dbt_contracts import sync_dbt

        for path in sync_dbt(load_registry(settings.registry_dir), settings):
            print(path)
        return 0
    if args.command == "scenarios":
        return _scenarios(settings, args.sector, args.show, args.csv, args.catalog)
    if args.command == "new-dataset":
        return scaffold.run_cli(settings, args.sector, args.dataset, _ids(args.sources), _ids(args.inputs), args.period)
    return 2


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _publish_docs(settings: Settings) -> int:
    from sector_datasets.report import publish_docs
    from sector_datasets.report.dbt_docs import DocsError, docs_link

    print("· dbt parse + docs generate (≈25 s) …", flush=True)
    try:
        index = publish_docs(settings, load_registry(settings.registry_dir))
    except DocsError as exc:
        print(f"publish-docs failed: {exc}", file=sys.stderr)
        return 1
    print(f"dbt docs: {docs_link(settings)}\nreports index: {index}")
    return 0


def _record(settings: Settings, out: Path, sector_ids: list[str], overwrite: bool) -> int:
    from sector_datasets.extract import HttpClient, record_sources

    registry = load_registry(settings.registry_dir)
    sources = [s for sector in registry.sectors.values() if not sector_ids or sector.id in sector_ids for s in sector.sources]
    written = record_sources(sources, out, HttpClient(settings), overwrite=overwrite)
    print(json.dumps([str(p) for p in written], indent=2))
    return 0


def _scenarios(settings: Settings, sector_ids: list[str], show: bool, csv_dir: Path | None, catalog: Path | None) -> int:
    from sector_datasets import scenarios as sc

    wanted = sc.selected(load_registry(settings.registry_dir), sector_ids)
    if show:
        print(sc.show(settings, wanted))
        return 0
    try:
        with sc.scenario_connection(settings, catalog) as con:
            return 1 if sc.run_and_print(con, settings, wanted, csv_dir) else 0
    except sc.ScenarioError as exc:  # no such catalog (each scenario's own failure is printed, not raised)
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

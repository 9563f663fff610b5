"""Fault and bad-input catalogue, transport sector (issue 5): HTTP, payload and process faults.

The last good version of every transport dataset is built once (real replayed HTTP, DuckDB, dbt,
GX, publish) into a private home; then each row of ``CASES`` injects ONE fault through the real
code path and the test of that row asserts (a) the run fails or quarantines with a message naming
sector, source/dataset and cause, (b) curated tables and current exports still hold exactly the
last good version, (c) a rerun after the fault is removed publishes correctly with no duplicates.

Fixtures: HTTP faults are scripted on the fault server (the real replay handler over copies of
the real snapshot files); payload faults are SYNTHETIC MODIFICATIONS OF REAL FILES in the private
snapshot copy (column "fixture" of the table); process faults use real subprocesses and signals.

Order of the campaign (one module-scoped run, observed per case):
  good build → cheap faults (each its own run; stop at extract/load) → grouped dbt/gate faults
  (one run per group, one fault per independent lineage) → final run with three transient 5xx
  (= the rerun (c) of all cases before it) → process faults that leave the data as it is → two
  concurrent runs (= the rerun (c) of those) → publish-stage faults during a legitimate change
  (each followed by a rerun of the publish task). The broken-dbt-model case goes through Airflow
  (`cli run` = `airflow dags test`), the registry typo through Airflow's DagBag and the CLI; the
  other cases call the stage functions (`inline.run_sector` / `pipeline.*`) directly.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from sector_datasets.orchestration import stages
from sector_datasets.orchestration.airflow_env import airflow_environment
from sector_datasets.publish.wap import table_checksum
from sector_datasets.settings import REPO_ROOT, get_settings
from sector_datasets.warehouse.duckdb_lock import connect_writer, writer_lock
from tests.faults.campaign import Campaign, campaign_platform
from tests.helpers import GSO_MONTHLY_WORKBOOKS
from tests.faults.faultlib import (
    Body,
    Case,
    DatasetState,
    Real,
    ResetMidBody,
    Stall,
    Status,
    case_params,
    check_observed,
    modified,
)

pytestmark = pytest.mark.slow  # the transport fault campaign: ≈4 min

SECTOR = "transport"
FILES = [
    "transport/hanoi_gtfs/routes.txt",
    "transport/hanoi_gtfs/stops.txt",
    "transport/hanoi_gtfs/trips.txt",
    "transport/openflights/airports_vietnam.dat",
    "transport/openflights/routes_touching_vietnam.dat",
    *GSO_MONTHLY_WORKBOOKS,
]
AIRPORTS = "transport_airports"

# --------------------------------------------------------------------------- payload mutations
# Every function maps the REAL file's bytes to a synthetic faulty variant.


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _dump(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def drop_field(index: int):
    return lambda data: _dump([r[:index] + r[index + 1:] for r in _rows(data)])


def add_field(value: str):
    return lambda data: _dump([[*r, value] for r in _rows(data)])


def set_field(index: int, value: str, *, header: bool = False, where=lambda i, r: True):
    def change(data: bytes) -> bytes:
        rows = _rows(data)
        start = 1 if header else 0
        for i, row in enumerate(rows[start:]):
            if row and where(i, row):
                row[index] = value(row[index]) if callable(value) else value
        return _dump(rows)

    return change


def rename_header(old: str, new: str):
    def change(data: bytes) -> bytes:
        head, rest = data.split(b"\n", 1)
        assert old.encode() in head
        return head.replace(old.encode(), new.encode()) + b"\n" + rest

    return change


def repeat_first_row(data: bytes) -> bytes:
    lines = data.decode("utf-8").splitlines(keepends=True)
    return "".join([*lines, lines[1] if lines[1].endswith("\n") else "\n" + lines[1]]).encode("utf-8")


def reencode(codec: str):
    return lambda data: data.decode("utf-8").encode(codec)


def with_bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


HTML_ERROR = (
    b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>"
    b"<body><h1>Service Unavailable</h1><p>The server is temporarily busy.</p></body></html>\n"
)

# --------------------------------------------------------------------------- the catalogue

AIR, BUS = "transport_air_routes", "transport_bus_routes"
STOPS_DS = "transport_bus_stop_points"


def _case(*args, **kwargs) -> Case:
    return Case(*args, **kwargs)


CASES: list[Case] = [
    # ---- HTTP (scripted on the fault server; each its own run unless noted)
    _case("http_404_permanent", "http", "404 Not Found on every request", "scripted HTTP reply", "fails",
          "gtfs_hanoi_stops", ("sector=transport", "source=gtfs_hanoi_stops", "HTTP 404", "not retried")),
    _case("http_timeout", "http", "server accepts, then says nothing for 2.5 s (read timeout 1 s), every attempt",
          "scripted HTTP stall", "fails", "openflights_airports_vnm",
          ("sector=transport", "source=openflights_airports_vnm", "gave up after 4 attempt(s)", "Read timed out")),
    _case("http_reset_mid_body", "http", "Content-Length announced, half the body sent, TCP RST — every attempt",
          "real bytes, cut; scripted", "fails", "gtfs_hanoi_trips",
          ("sector=transport", "source=gtfs_hanoi_trips", "gave up after 4 attempt(s)", "no response", "Connection")),
    _case("http_html_error_page_200", "http", "an HTML error page served with status 200", "synthetic HTML body",
          "fails", "gtfs_hanoi_routes", ("sector=transport", "source=gtfs_hanoi_routes", "got an HTML page")),
    _case("http_empty_body_200", "http", "status 200 with an empty body", "scripted HTTP reply", "fails",
          "openflights_routes_vnm", ("sector=transport", "source=openflights_routes_vnm", "empty body")),
    _case("http_429_retry_after", "http", "429 Too Many Requests with Retry-After: 1, then the real bytes",
          "scripted HTTP reply", "absorbed", "gtfs_hanoi_trips",
          ("transport/gtfs_hanoi_trips", "retryable status 429, Retry-After 1")),
    _case("http_reset_once_then_ok", "http", "TCP reset mid-body once, then the real bytes",
          "real bytes, cut; scripted", "absorbed", "gtfs_hanoi_stops", ("transport/gtfs_hanoi_stops", "failed:")),
    # ---- payload faults caught before dbt (each its own run)
    _case("schema_missing_column", "payload", "the dst field dropped from every line (13 of 14 columns)",
          "synthetic: real airports_vietnam.dat minus one column", "fails", "openflights_airports_vnm",
          ("/landing/transport/", "openflights_airports_vnm", "line with 13 fields, header has 14")),
    _case("schema_extra_column", "payload", "an extra 10th field on every line of a headerless file",
          "synthetic: real routes_touching_vietnam.dat plus one column", "fails", "openflights_routes_vnm",
          ("/landing/transport/", "openflights_routes_vnm", "line with 10 fields, header has 9")),
    _case("encoding_windows_1258", "payload", "file re-encoded as Windows-1258 (declared utf-8): 'Cà Mau' → b'C\\xe0 Mau'",
          "synthetic: real airports_vietnam.dat re-encoded", "fails", "openflights_airports_vnm",
          ("/landing/transport/", "openflights_airports_vnm", "declared as utf-8", "is not valid utf-8")),
    # ---- payload faults that reach dbt and the gate (grouped: one fault per independent lineage)
    _case("schema_renamed_column", "payload", "GTFS header stop_lat renamed to stop_latitude",
          "synthetic: real stops.txt, header edited", "quarantined", "gtfs_hanoi_stops",
          # issue 14: refused at load by the source contract (was: the dbt model "did not build")
          ("sector 'transport'", f"dataset '{STOPS_DS}'", f"dataset '{BUS}'", "source contract violated, not loaded",
           "Source gtfs_hanoi_stops (sector transport)", "field 'stop_lat' missing", "stop_latitude"),
          group="g1", hits=(BUS, STOPS_DS)),
    _case("all_null_column", "payload", "the ICAO code of every airport replaced by the null marker \\N",
          "synthetic: real airports_vietnam.dat, one column nulled", "quarantined", "openflights_airports_vnm",
          ("sector 'transport'", f"dataset '{AIRPORTS}'", "expect_column_values_to_not_be_null(icao_code)"),
          group="g1", hits=(AIRPORTS,)),
    _case("duplicate_keys", "payload", "the first route (route_id 01_1) listed twice in routes.txt",
          "synthetic: real routes.txt plus a repeated row", "quarantined", "gtfs_hanoi_routes",
          ("sector 'transport'", f"dataset '{BUS}'", "expect_column_values_to_be_unique(route_id)"),
          group="g2", hits=(BUS, STOPS_DS)),
    _case("bom_where_none_expected", "payload", "a UTF-8 byte-order mark before the first line (source declared utf-8, headerless)",
          "synthetic: real airports_vietnam.dat with a BOM", "quarantined", "openflights_airports_vnm",
          ("sector 'transport'", f"dataset '{AIRPORTS}'", "airport_id"), group="g2", hits=(AIRPORTS,)),
    # ---- the final run: a transient fault the extractor must absorb; it is the rerun (c) above
    _case("http_5xx_then_success", "http", "500, 502, 503, then the real bytes", "scripted HTTP replies",
          "absorbed", "openflights_routes_vnm",
          ("transport/openflights_routes_vnm", "retryable status 500", "retryable status 502", "retryable status 503"),
          group="final"),
    # ---- process faults
    _case("exports_disk_unwritable", "process", "SECTOR_DATASETS_EXPORTS under a regular file: mkdir fails",
          "synthetic legitimate change: one airport fewer in audit", "fails", AIRPORTS,
          ("sector=transport", "stage=publish", f"target={AIRPORTS}", "Not a directory")),
    _case("publish_killed_mid_swap", "process", "publish task SIGKILLed after its exports are written, before the DuckDB commit",
          "synthetic legitimate change: another airport fewer in audit", "fails", AIRPORTS,
          ("sector=transport", f"dataset={AIRPORTS}", "SIGKILL", "before the DuckDB commit")),
    _case("warehouse_locked_by_reader", "process", "another process holds a read-only DuckDB connection on the warehouse",
          "real subprocess", "fails", "warehouse",
          ("sector=transport", "stage=load", "Could not set lock on file", "PID")),
    _case("dbt_model_fails_to_compile", "process", "a mart refers to a model that does not exist (tmp copy of the repo); "
          "run through Airflow (cli run = airflow dags test)", "synthetic: copy of the repo, one model edited", "fails", AIR,
          ("sector=transport stage=transform", "sector 'transport'", "dbt build could not run", AIR,
           "transport_no_such_model", "sectors with failures: transport")),
    _case("registry_typo", "process", "transport.yml with 'primay_key' instead of 'primary_key' (tmp copy of the registry)",
          "synthetic: copy of include/sectors, one key misspelt", "fails", "registry",
          ("transport.yml", "primay_key", "Extra inputs are not permitted", "primary_key: Field required")),
    _case("two_runs_at_once", "process", "two runs of the sector started at the same moment (two processes)",
          "real subprocesses", "absorbed", "warehouse", ("waits for the writer lock",)),
]
CASE_BY_ID = {c.id: c for c in CASES}

# Known gaps: strict xfail, so they start failing (XPASS) the day they are fixed.
XFAIL: dict[str, str] = {}


# --------------------------------------------------------------------------- the campaign


class TransportCampaign(Campaign):
    def injections(self) -> dict:
        s, path = self.server, self.path
        stops, trips, routes = "gtfs_hanoi_stops", "gtfs_hanoi_trips", "gtfs_hanoi_routes"
        airports, oroutes = "openflights_airports_vnm", "openflights_routes_vnm"

        def scripted(source, *acts, repeat_last=False):
            @contextlib.contextmanager
            def inject():
                s.script(self.url_path(source), *acts, repeat_last=repeat_last)
                try:
                    yield
                finally:
                    s.clear()

            return inject

        def file_fault(source, change):
            return lambda: modified(path(source), change)

        return {
            "http_404_permanent": scripted(stops, Status(404, b"Not Found"), repeat_last=True),
            "http_timeout": scripted(airports, Stall(2.5), repeat_last=True),
            "http_reset_mid_body": scripted(trips, ResetMidBody(0.5), repeat_last=True),
            "http_html_error_page_200": scripted(routes, Body(HTML_ERROR, "text/html"), repeat_last=True),
            "http_empty_body_200": scripted(oroutes, Body(b"", "text/plain"), repeat_last=True),
            "http_429_retry_after": scripted(trips, Status(429, b"slow down", {"Retry-After": "1"}), Real()),
            "http_reset_once_then_ok": scripted(stops, ResetMidBody(0.4), Real()),
            "schema_missing_column": file_fault(airports, drop_field(10)),
            "schema_extra_column": file_fault(oroutes, add_field("x")),
            "encoding_windows_1258": file_fault(airports, reencode("cp1258")),
            "schema_renamed_column": file_fault(stops, rename_header("stop_lat", "stop_latitude")),
            "all_null_column": file_fault(airports, set_field(5, "\\N")),
            "duplicate_keys": file_fault(routes, repeat_first_row),
            "bom_where_none_expected": file_fault(airports, with_bom),
            "http_5xx_then_success": scripted(oroutes, Status(500), Status(502), Status(503), Real()),
        }

    def run_all(self) -> None:
        with self.timed("good build"):
            self.build_good()
        inject = self.injections()
        cheap = [c for c in CASES if c.group == "solo" and c.category != "process"]
        with self.timed(f"{len(cheap)} cheap faults (own runs)"):
            for case in cheap:
                if case.expected == "absorbed":
                    self.extract_only(case, inject[case.id])
                else:
                    self.failing_run(case, inject[case.id])
        for group in ("g1", "g2"):
            with self.timed(f"group run {group}"):
                self.group_run(group, [(c, inject[c.id]) for c in CASES if c.group == group])
        # The final run carries only three transient 5xx (absorbed before anything lands): it is
        # the rerun after every earlier fault was removed.
        final = self.new_obs(CASE_BY_ID["http_5xx_then_success"])
        final.scope = self.lineage("openflights_routes_vnm")
        with self.guarded(final), self.timed("final rerun (5xx absorbed)"):
            final.before = self.state()
            with self.captured_retries() as logs:
                exc, outcomes = self.recovery(
                    "final_rerun", [o for o in self.obs.values() if o is not final], inject["http_5xx_then_success"]
                )
            final.after_fault = final.after_recovery = self.state()
            final.outcome, final.message = self.absorbed_outcome(exc, outcomes, logs, final.scope)
            final.recovery_run, final.recovery, final.good = "final_rerun (the run itself)", dict(outcomes), self.good
        # Process faults that leave the data as it is; two concurrent runs are their rerun (c).
        steps = (self.warehouse_locked_by_reader, self.dbt_model_fails_to_compile, self.registry_typo,
                 self.two_runs_at_once, self.exports_disk_unwritable, self.publish_killed_mid_swap)
        # The last two are publish-stage faults during a legitimate change; the publish rerun is (c).
        for step in steps:
            with self.timed(step.__name__):
                step(CASE_BY_ID[step.__name__])

    # ------------------------------------------------------------------ helpers

    @contextlib.contextmanager
    def captured_retries(self):
        from tests.faults.faultlib import captured_logs

        with captured_logs("sector_datasets.extract.http_client") as logs:
            yield logs

    def absorbed_outcome(self, exc, outcomes, logs, scope) -> tuple[str, str]:
        """The run succeeded (every dataset published or confirmed) and the fault's lineage kept its version."""
        if exc is not None:
            return "failed", f"{type(exc).__name__}: {exc}"
        if all(isinstance(o, dict) for o in outcomes.values()) and not any(outcomes[d]["new_version"] for d in scope):
            return "absorbed", " | ".join(logs.messages)
        return "published", str({d: o if not isinstance(o, dict) else o["version"] for d, o in outcomes.items()})

    def good_build(self) -> dict:
        return next(e["result"] for e in self.events(self.good_run) if e["stage"] == "transform")

    def legit_change(self, run_id: str) -> tuple[dict, DatasetState]:
        """SYNTHETIC legitimate change: the audit table gains an airport (a copy of the last one
        under a new id, name and codes — an addition, which the default publish policy serves
        without approval; a delisted airport would now wait for the owner); the real gate
        validates it, so the verdict is a real passing one."""
        s = get_settings()
        with connect_writer(s.warehouse_path, s.lock_path, "fault test: simulate an upstream change",
                            reader_wait_s=s.reader_wait_s) as con:
            # Codes stay unique when several cases each add one (the gate checks iata_code unique).
            n = con.execute(f"SELECT count(*) FROM audit.{AIRPORTS} WHERE airport_name LIKE 'Test Airfield%'").fetchone()[0]
            letter = "ABCDEFGHIJKLMNOPQRSTUVWXY"[n]
            con.execute(
                f"INSERT INTO audit.{AIRPORTS} SELECT * REPLACE (airport_id + 100000 AS airport_id, "
                f"'Test Airfield {letter}' AS airport_name, 'ZQ{letter}' AS iata_code, 'VVZ{letter}' AS icao_code) "
                f"FROM audit.{AIRPORTS} WHERE airport_id = (SELECT max(airport_id) FROM audit.{AIRPORTS})"
            )
            rows, checksum = table_checksum(con, f"audit.{AIRPORTS}")
        verdict = stages.gate(SECTOR, AIRPORTS, run_id, self.good_build())
        assert verdict["success"], verdict
        return verdict, DatasetState(checksum=checksum, rows=rows)

    def failed_event(self, run_id: str) -> str:
        events = [e for e in self.events(run_id) if e["status"] == "failed"]
        return " | ".join(f"sector={e['sector']} stage={e['stage']} target={e['target']}: {e['message']}" for e in events)

    def publish_rerun(self, obs, run_id: str, verdict: dict, expected: DatasetState) -> None:
        out = stages.publish(SECTOR, AIRPORTS, run_id, verdict)
        obs.recovery_run = run_id
        obs.recovery = {AIRPORTS: out}
        obs.after_recovery = self.state()
        obs.good = {AIRPORTS: expected}

    # ------------------------------------------------------------------ process cases

    def exports_disk_unwritable(self, case: Case) -> None:
        obs = self.new_obs(case)
        obs.scope = (AIRPORTS,)
        with self.guarded(obs):
            verdict, expected = self.legit_change(case.id)
            obs.before = self.state()
            blocker = self.home / "exports_blocker"
            blocker.write_text("a regular file where the exports directory should be\n")
            mp = pytest.MonkeyPatch()
            mp.setenv("SECTOR_DATASETS_EXPORTS", str(blocker / "exports"))
            try:
                stages.publish(SECTOR, AIRPORTS, case.id, verdict)
                obs.outcome = "published"
            except Exception:
                obs.outcome = "failed"
            finally:
                mp.undo()
            obs.after_fault = self.state()
            obs.message = self.failed_event(case.id)
            self.publish_rerun(obs, f"{case.id}_rerun", verdict, expected)

    def publish_killed_mid_swap(self, case: Case) -> None:
        obs = self.new_obs(case)
        obs.scope = (AIRPORTS,)
        with self.guarded(obs):
            verdict, expected = self.legit_change(case.id)
            obs.before = self.state()
            marker = self.home / "publish_paused"
            script = textwrap.dedent(
                """
                import json, os, sys, time
                from sector_datasets.publish import wap as publish
                from sector_datasets.orchestration import stages
                real = publish.write_exports
                def paused(*args, **kwargs):
                    real(*args, **kwargs)          # exports complete in the hidden folder
                    open(sys.argv[1], "w").write(str(os.getpid()))
                    time.sleep(600)                # ... and the DuckDB transaction not begun
                publish.write_exports = paused
                stages.publish("transport", "transport_airports", sys.argv[2], json.loads(sys.argv[3]))
                """
            )
            proc = subprocess.Popen(
                [self.python, "-c", script, str(marker), case.id, json.dumps(verdict)], env=self.subprocess_env(),
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )
            deadline = time.monotonic() + 180
            while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert marker.exists(), f"publish never reached the kill point: {proc.stderr.read()[-2000:] if proc.poll() is not None else 'timeout'}"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            ds_dir = get_settings().exports_dir / SECTOR / AIRPORTS
            orphans = sorted(p.name for p in ds_dir.glob(".v*.tmp-*"))
            obs.after_fault = self.state()
            obs.outcome = "failed" if proc.returncode == -signal.SIGKILL else f"exit {proc.returncode}"
            obs.message = (
                f"publish task of sector=transport dataset={AIRPORTS} killed by SIGKILL (exit {proc.returncode}) "
                f"after writing exports {orphans}, before the DuckDB commit; runlog events for the run: "
                f"{[(e['stage'], e['status']) for e in self.events(case.id) if e['stage'] == 'publish']}"
            )
            obs.notes["orphans_after_kill"] = orphans
            with writer_lock(get_settings().lock_path, timeout_s=5, holder="fault test: is the lock free?"):
                obs.notes["lock_released"] = True
            self.publish_rerun(obs, f"{case.id}_rerun", verdict, expected)
            obs.notes["orphans_after_rerun"] = sorted(p.name for p in ds_dir.glob(".v*.tmp-*"))

    def warehouse_locked_by_reader(self, case: Case) -> None:
        obs = self.new_obs(case)
        obs.scope = self.datasets
        with self.guarded(obs):
            obs.before = self.state()
            reader = subprocess.Popen(
                [self.python, "-c", "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1], read_only=True)\n"
                 "con.execute('select 1')\nprint('ready', flush=True)\ntime.sleep(600)",
                 str(get_settings().warehouse_path)],
                stdout=subprocess.PIPE, text=True, env=self.subprocess_env(),
            )
            try:
                assert reader.stdout.readline().strip() == "ready"
                exc, _ = self.run(case.id)
                obs.after_fault = self.state()  # a second reader is allowed next to the first
            finally:
                reader.kill()
                reader.wait()
            obs.outcome = "failed" if exc is not None else "published"
            obs.message = self.failed_event(case.id)
            obs.notes["reader_pid"] = reader.pid
            assert f"PID {reader.pid}" in obs.message, "the error does not name the process holding the lock"

    def dbt_model_fails_to_compile(self, case: Case) -> None:
        obs = self.new_obs(case)
        obs.scope = self.datasets
        with self.guarded(obs):
            obs.before = self.state()
            # The platform has no setting for the dbt project directory (Settings.dbt_project_dir =
            # REPO_ROOT/dbt_project), so the broken model lives in a temporary COPY of the repository
            # tree, imported by a subprocess whose REPO_ROOT is that copy.
            copy = self.home.parent / f"{self.home.name}_repo_copy"
            ignore = shutil.ignore_patterns("target", "logs", "__pycache__", "dbt_packages", ".user.yml")
            for part in ("plugins", "dbt_project", "expectations", "include", "dags"):
                shutil.copytree(REPO_ROOT / part, copy / part, ignore=ignore)
            model = copy / "dbt_project" / "models" / "marts" / "transport" / f"{AIR}.sql"
            text = model.read_text()
            assert "select * from final" in text
            model.write_text(text.replace(
                "select * from final", "select * from final\nunion all by name\nselect * from {{ ref('transport_no_such_model') }}"
            ))
            # Through Airflow: `cli run` = `airflow dags test sector_transport` with the copy's DAGs,
            # plugins and dbt project (the data is unchanged; the changed dbt code forces a rebuild).
            started = time.time()
            proc = subprocess.run(
                [self.python, "-m", "sector_datasets.cli", "run", "--sector", SECTOR],
                env=self.subprocess_env(PYTHONPATH=str(copy / "plugins")), cwd=copy,
                capture_output=True, text=True, timeout=900,
            )
            obs.after_fault = self.state()
            runs = [p for p in (self.home / "runs" / SECTOR).iterdir() if p.stat().st_mtime >= started - 1]
            events = [e for p in runs for e in self.events(p.name)]
            run_id = next((e["run_id"] for e in events if e["stage"] == "transform" and e["status"] == "failed"), None)
            obs.outcome = "failed" if proc.returncode != 0 and run_id else "published"
            obs.message = (self.failed_event(run_id) if run_id else proc.stdout[-1500:]) + " || cli: " + " ".join(
                l.strip() for l in proc.stdout.splitlines() if "FAILED" in l or "sectors with failures" in l
            )
            obs.events = [e for e in events if e["run_id"] == run_id]
            obs.notes.update(
                exit=proc.returncode, airflow_run_id=run_id,
                stages={f"{e['stage']}:{e['target']}": e["status"] for e in obs.events},
            )

    def registry_typo(self, case: Case) -> None:
        obs = self.new_obs(case)
        obs.scope = self.datasets
        with self.guarded(obs):
            obs.before = self.state()
            registry = self.home.parent / f"{self.home.name}_registry_copy"
            shutil.copytree(REPO_ROOT / "include" / "sectors", registry)
            yml = registry / "transport.yml"
            text = yml.read_text(encoding="utf-8")
            assert text.count("    primary_key: [airport_id]") == 1
            yml.write_text(text.replace("    primary_key: [airport_id]", "    primay_key: [airport_id]"), encoding="utf-8")
            env = self.subprocess_env(SECTOR_DATASETS_REGISTRY=str(registry))
            cli = subprocess.run([self.python, "-m", "sector_datasets.cli", "summary"], env=env,
                                 capture_output=True, text=True, timeout=300, cwd=REPO_ROOT)
            # What Airflow's DAG processor does with the DAG file: parse it into a DagBag.
            dagbag = textwrap.dedent(
                """
                import json, sys
                from airflow.dag_processing.dagbag import DagBag
                bag = DagBag(dag_folder=sys.argv[1])
                print("DAGBAG=" + json.dumps({"dags": sorted(bag.dag_ids), "errors": bag.import_errors}))
                """
            )
            af_env = {**env, **airflow_environment(get_settings())}
            af_env["SECTOR_DATASETS_REGISTRY"] = str(registry)
            dag = subprocess.run([self.python, "-c", dagbag, str(REPO_ROOT / "dags" / "sectors.py")], env=af_env,
                                 capture_output=True, text=True, timeout=300, cwd=REPO_ROOT)
            parsed = next((json.loads(l[7:]) for l in dag.stdout.splitlines() if l.startswith("DAGBAG=")), None)
            obs.after_fault = self.state()
            obs.notes.update(cli_exit=cli.returncode, dagbag=parsed and {"dags": parsed["dags"], "errors": list(parsed["errors"])})
            errors = " ".join(v.strip().splitlines()[-1] for v in parsed["errors"].values()) if parsed else dag.stderr[-1500:]
            cli_error = next((l for l in reversed(cli.stderr.splitlines()) if "RegistryError" in l), cli.stderr[-800:])
            obs.outcome = "failed" if cli.returncode != 0 and parsed and not parsed["dags"] else "published"
            obs.message = f"cli: {cli_error} || dag file (Airflow DagBag import error): {errors}"
            obs.notes["dag_error_names_file_and_key"] = all(
                m in errors for m in ("transport.yml", "primay_key", "Extra inputs are not permitted")
            )

    def two_runs_at_once(self, case: Case) -> None:
        """Two runs of the sector in two processes at once: one forced to rebuild
        (SECTOR_DATASETS_FORCE_RUN=1: real dbt subprocess, gates, publishes), one normal (which,
        the data being unchanged, confirms the served versions). They are also the rerun (c) of
        the process faults above.

        "At once" is made certain, not left to timing: the test holds the writer lock until *both*
        runs wait for it, then lets go. Started together but left alone, one run could finish its
        writes before the other's interpreter had started (seen in CI on a loaded machine)."""
        obs = self.new_obs(case)
        obs.scope = self.datasets
        covered = [o for o in self.obs.values() if o.case.category == "process" and o is not obs and not o.recovery_run]
        with self.guarded(obs, *covered), tempfile.TemporaryDirectory(prefix="two_runs_") as tmp:
            obs.before = self.state()
            script = "import sys\nfrom sector_datasets.orchestration import inline\ninline.run_sector('transport', sys.argv[1])"
            env = self.subprocess_env()
            env["PYTHONUNBUFFERED"] = "1"
            stderr = {run_id: Path(tmp) / f"{run_id}.stderr" for run_id in ("concurrent_a", "concurrent_b")}
            force = {"concurrent_a": "1", "concurrent_b": ""}

            def waiting(run_id: str) -> bool:
                return "waits for the writer lock" in stderr[run_id].read_text(encoding="utf-8", errors="replace")

            processes: dict[str, subprocess.Popen] = {}
            with writer_lock(get_settings().lock_path, holder="fault test two_runs_at_once (until both runs wait)"):
                for run_id in stderr:
                    with open(stderr[run_id], "wb") as err:
                        processes[run_id] = subprocess.Popen(
                            [self.python, "-c", "import logging; logging.basicConfig(level=logging.INFO)\n" + script, run_id],
                            env={**env, "SECTOR_DATASETS_FORCE_RUN": force[run_id]},
                            stdout=subprocess.DEVNULL, stderr=err,
                        )
                deadline = time.monotonic() + 300
                while not all(waiting(r) for r in stderr) and time.monotonic() < deadline:
                    if any(proc.poll() is not None for proc in processes.values()):
                        break  # a run ended without waiting: reported below as it is
                    time.sleep(0.2)
                both_waited = all(waiting(r) for r in stderr)
            results = {}
            for run_id, proc in processes.items():
                try:
                    proc.wait(timeout=900)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                results[run_id] = subprocess.CompletedProcess(
                    proc.args, proc.returncode, "", stderr[run_id].read_text(encoding="utf-8", errors="replace"))
            obs.notes["both_waited_together"] = both_waited
            after = self.state()
            logs = "\n".join(r.stderr for r in results.values())
            waits = [l for l in logs.splitlines() if "waits for the writer lock" in l]
            obs.notes.update(exits={k: v.returncode for k, v in results.items()}, lock_waits=len(waits))
            outcomes: dict[str, object] = {}
            for run_id in results:
                for e in self.events(run_id):
                    if e["stage"] == "publish" and e["status"] in ("success", "skipped"):
                        prev = outcomes.get(e["target"])
                        if not isinstance(prev, dict) or e["result"]["new_version"]:
                            outcomes[e["target"]] = e["result"]
                    elif e["status"] == "failed":
                        outcomes.setdefault(e["target"], f"{run_id}: {e['message']}")
            with duckdb.connect(str(get_settings().warehouse_path), read_only=True) as con:
                obs.notes["duplicate_publications"] = con.execute(
                    "SELECT count(*) FROM (SELECT dataset_id, version FROM meta.publications GROUP BY ALL HAVING count(*) > 1)"
                ).fetchone()[0]
            ok = all(r.returncode == 0 for r in results.values())
            obs.outcome = "absorbed" if ok and both_waited else ("failed" if not ok else "no contention")
            obs.message = " | ".join(waits[:2]) or logs[-1500:]
            obs.after_fault = obs.after_recovery = after
            obs.recovery_run, obs.recovery, obs.good = "concurrent_a + concurrent_b (the runs themselves)", outcomes, self.good
            for o in covered:
                o.recovery_run, o.recovery, o.after_recovery = "concurrent_a + concurrent_b", outcomes, after
                o.good = self.good


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    with campaign_platform(tmp_path_factory, SECTOR, FILES) as (home, snapshot, server):
        c = TransportCampaign(SECTOR, home, snapshot, server)
        c.run_all()
        yield c


EXTRA_CHECKS = {
    "http_404_permanent": lambda o: o.notes["hits"] == 1 and not o.notes["landed"],
    "http_html_error_page_200": lambda o: o.notes["hits"] == 1 and not o.notes["landed"],
    "http_empty_body_200": lambda o: o.notes["hits"] == 1 and not o.notes["landed"],
    "http_timeout": lambda o: o.notes["hits"] == 4 and not o.notes["landed"],
    "http_reset_mid_body": lambda o: o.notes["hits"] == 4 and not o.notes["landed"],
    "http_429_retry_after": lambda o: o.notes["hits"] == 2 and o.notes["gaps_s"][0] >= 1.0 and o.notes["landing_equals_good"],
    "http_reset_once_then_ok": lambda o: o.notes["hits"] == 2 and o.notes["landing_equals_good"],
    "schema_missing_column": lambda o: o.notes["failed_stage"] == "load",
    "schema_extra_column": lambda o: o.notes["failed_stage"] == "load",
    "encoding_windows_1258": lambda o: o.notes["failed_stage"] == "load",
    "publish_killed_mid_swap": lambda o: o.notes["orphans_after_kill"] and not o.notes["orphans_after_rerun"] and o.notes["lock_released"],
    "dbt_model_fails_to_compile": lambda o: o.notes["exit"] == 1 and o.notes["stages"].get("report:sector") == "success"
    and not any(k.startswith(("gate:", "publish:")) for k in o.notes["stages"]),
    "registry_typo": lambda o: o.notes["cli_exit"] != 0 and o.notes["dag_error_names_file_and_key"],
    "two_runs_at_once": lambda o: (set(o.notes["exits"].values()) == {0} and o.notes["duplicate_publications"] == 0
                                   and o.notes["both_waited_together"]),
}


@pytest.mark.parametrize("case", case_params(CASES, XFAIL))
def test_fault_case(campaign, case):
    check_observed(campaign.obs, case, EXTRA_CHECKS)

"""Where things live and which mode the platform runs in, read from the environment.

Every path has an embedded default relative to the repository so that `make run` works on a
fresh clone; every default can be overridden with a ``SECTOR_DATASETS_*`` variable (see README).
This is the only module of the package that reads those variables (a test holds it to that):
everything else takes the values from :func:`get_settings` or the :class:`Settings` it is given.
Secrets (the PII salt, the PostgreSQL DSN) are read when needed through
:mod:`sector_datasets.secret_handling`, never stored here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from sector_datasets.secret_handling import mask_in_airflow_logs, read_secret

REPO_ROOT = Path(__file__).resolve().parents[2]


T = TypeVar("T")


def _override(var: str) -> Path | None:
    """A path variable, resolved, or None when unset or empty."""
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else None


def _path(var: str, default: Path) -> Path:
    return _override(var) or default.resolve()


def _parsed(var: str, parse: Callable[[str], T], default: T) -> T:
    raw = os.environ.get(var)
    return default if raw is None else parse(raw)


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. Cheap to build; build a fresh one per task (env may differ)."""

    repo_root: Path
    registry_dir: Path
    snapshot_dir: Path
    home: Path
    source_mode: str  # "replay" (recorded payloads over a local HTTP server) or "live"
    replay_url: str | None  # use an already running replay server instead of starting one
    http_timeout_s: float
    http_max_attempts: int
    http_backoff_s: float
    # Recovery: how many published versions of a dataset to keep (the served and pinned ones are
    # always kept on top), and whether to rebuild even when nothing changed since the last run.
    keep_versions: int = 5
    force_rebuild: bool = False
    # Which warehouse dbt, the loader, the gate and publish use: "duckdb" (one embedded file, a
    # single writer at a time; the default) or "postgres" (a server that many workers on several
    # machines can write to). See :mod:`sector_datasets.warehouse`.
    warehouse_kind: str = "duckdb"
    # Overrides of paths that otherwise derive from ``home`` / ``repo_root`` (None: the default).
    warehouse_override: Path | None = None  # SECTOR_DATASETS_WAREHOUSE, taken as given
    exports_override: Path | None = None  # SECTOR_DATASETS_EXPORTS
    expectations_override: Path | None = None  # SECTOR_DATASETS_EXPECTATIONS_DIR
    # How long a DuckDB writer waits for a process outside the pipeline to close the file.
    reader_wait_s: float = 60.0
    # PostgreSQL only: slots of the writer pool, and how long a dbt build waits for another one.
    pg_writer_slots: int = 16
    pg_build_lock_timeout_s: float = 3600.0
    # Celery workers import the pipeline once before forking task processes.
    celery_preload: bool = True
    # Owner alerts (orchestration/alerts.py): the Airflow SMTP connection they are sent through
    # (none configured: alerts are off), the sender when the connection names none, and the
    # scorecard link; ``{dag_id}`` and ``{sector}`` in the link are filled in per sector.
    alert_smtp_conn_id: str = "smtp_default"
    alert_from_email: str | None = None
    scorecard_url: str = "http://localhost:8080/dags/{dag_id}/plugin/sector-datasets-dag"
    # Who decides a version the publish policy held: "airflow" (the DAG's HITL approval task waits
    # for a person in the UI) or "cli" (non-interactive runs — `cli run`, `make run`, dag.test(),
    # where that task would wait forever: the version stays held and `cli approve`/`reject` decide).
    approvals: str = "airflow"
    # Where ``exports/`` and ``reports/`` are published (ending in "/"): the absolute base of the
    # DCAT catalog's IRIs. By default the Airflow UI plugin that serves both folders.
    public_base_url: str = "http://localhost:8080/sector-datasets/"
    # Whether a sector's report task renders the whole quality site (every sector's pages, the
    # DCAT catalogue and its SHACL validation) after its run page. `cli run` turns it off for the
    # DAGs of its batch and renders the site once after the last one: eleven renders of every
    # page were ≈15 s of the main job (issue 19). A scheduled DAG run always renders it.
    render_site: bool = True

    @cached_property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @cached_property
    def warehouse_path(self) -> Path:
        return self.warehouse_override if self.warehouse_override is not None else self.home / "warehouse.duckdb"

    @cached_property
    def exports_dir(self) -> Path:
        return self.exports_override or (self.home / "exports").resolve()

    @cached_property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @cached_property
    def dbt_project_dir(self) -> Path:
        return self.repo_root / "dbt_project"

    @cached_property
    def dbt_target_dir(self) -> Path:
        return self.home / "dbt" / "target"

    @cached_property
    def expectations_dir(self) -> Path:
        return self.expectations_override or (self.repo_root / "expectations").resolve()

    @property
    def pii_salt(self) -> str | None:
        """The salt for hashing ``pii`` columns at publish; read when needed, never stored or logged."""
        return read_secret(PII_SALT_ENV, PII_SALT_CONN_ID)

    @cached_property
    def lock_path(self) -> Path:
        return self.home / "warehouse.lock"

    @property
    def pg_dsn(self) -> str:
        """The PostgreSQL warehouse's libpq URL (only used with ``warehouse_kind == "postgres"``).

        ``SECTOR_DATASETS_PG_DSN``, else, inside an Airflow task, the connection
        ``sector_datasets_warehouse``'s URI, else the local default. It may carry a password, so,
        like the PII salt, it is read when needed and never stored in this record or logged.
        """
        value = read_secret(PG_DSN_ENV, PG_CONN_ID) or DEFAULT_PG_DSN
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        password = urlsplit(value).password
        if password:
            mask_in_airflow_logs(unquote(password))  # the password alone may surface in a driver error
        return value


PII_SALT_ENV = "SECTOR_DATASETS_PII_SALT"
WAREHOUSE_KIND_ENV = "SECTOR_DATASETS_WAREHOUSE_KIND"
WAREHOUSE_KINDS = ("duckdb", "postgres")
PG_DSN_ENV = "SECTOR_DATASETS_PG_DSN"
PG_BUILD_LOCK_TIMEOUT_ENV = "SECTOR_DATASETS_PG_BUILD_LOCK_TIMEOUT"
PG_CONN_ID = "sector_datasets_warehouse"
DEFAULT_PG_DSN = "postgresql://postgres@127.0.0.1:5432/sector_datasets"
PII_SALT_CONN_ID = "sector_datasets_pii_salt"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _keep_versions() -> int:
    raw = os.environ.get("SECTOR_DATASETS_KEEP_VERSIONS", "5")
    try:
        keep = int(raw)
    except ValueError:
        keep = 0
    if keep < 1:
        raise ValueError(f"SECTOR_DATASETS_KEEP_VERSIONS must be an integer >= 1, got {raw!r}")
    return keep


def _warehouse_kind() -> str:
    kind = os.environ.get(WAREHOUSE_KIND_ENV, "duckdb").strip().lower() or "duckdb"
    kind = {"postgresql": "postgres", "pg": "postgres"}.get(kind, kind)
    if kind not in WAREHOUSE_KINDS:
        raise ValueError(f"{WAREHOUSE_KIND_ENV} must be 'duckdb' or 'postgres', got {kind!r}")
    return kind


def _airflow_base_url() -> str:
    """The Airflow UI's own base URL (``AIRFLOW__API__BASE_URL``, else localhost on its port)."""
    port = os.environ.get("AIRFLOW__API__PORT") or "8080"
    return (os.environ.get("AIRFLOW__API__BASE_URL") or f"http://localhost:{port}").strip().rstrip("/")


def _public_base_url() -> str:
    """``SECTOR_DATASETS_PUBLIC_BASE_URL``, else the UI plugin's mount (``/sector-datasets/``, see
    ``sector_datasets_ui.py``), which serves ``exports/`` and ``reports/`` under it."""
    explicit = os.environ.get("SECTOR_DATASETS_PUBLIC_BASE_URL", "").strip()
    base = explicit or _airflow_base_url() + "/sector-datasets"
    return base.rstrip("/") + "/"


def _scorecard_url() -> str:
    """The owner's link to a sector's scorecard: the "Scorecard" tab the UI plugin adds to each
    sector DAG's page (``sector_datasets_ui.py``: external view ``sector-datasets-dag``). The UI
    route, not the plugin's file URL, so that an owner without a session is sent to the login page."""
    explicit = os.environ.get("SECTOR_DATASETS_SCORECARD_URL", "").strip()
    if explicit:
        return explicit
    return _airflow_base_url() + "/dags/{dag_id}/plugin/sector-datasets-dag"


APPROVALS_ENV = "SECTOR_DATASETS_APPROVALS"
RENDER_SITE_ENV = "SECTOR_DATASETS_RENDER_SITE"


def _approvals() -> str:
    mode = os.environ.get(APPROVALS_ENV, "airflow").strip().lower() or "airflow"
    if mode not in {"airflow", "cli"}:
        raise ValueError(f"{APPROVALS_ENV} must be 'airflow' or 'cli', got {mode!r}")
    return mode


def get_settings() -> Settings:
    mode = os.environ.get("SECTOR_DATASETS_SOURCE_MODE", "replay").strip().lower()
    if mode not in {"replay", "live"}:
        raise ValueError(
            f"SECTOR_DATASETS_SOURCE_MODE must be 'replay' or 'live', got {mode!r}"
        )
    return Settings(
        repo_root=REPO_ROOT,
        registry_dir=_path("SECTOR_DATASETS_REGISTRY", REPO_ROOT / "include" / "sectors"),
        snapshot_dir=_path("SECTOR_DATASETS_SNAPSHOT_DIR", REPO_ROOT.parent / "shared" / "data"),
        home=_path("SECTOR_DATASETS_HOME", REPO_ROOT / "var"),
        source_mode=mode,
        replay_url=os.environ.get("SECTOR_DATASETS_REPLAY_URL") or None,
        http_timeout_s=float(os.environ.get("SECTOR_DATASETS_HTTP_TIMEOUT", "30")),
        http_max_attempts=int(os.environ.get("SECTOR_DATASETS_HTTP_ATTEMPTS", "4")),
        http_backoff_s=float(os.environ.get("SECTOR_DATASETS_HTTP_BACKOFF", "0.5")),
        keep_versions=_keep_versions(),
        force_rebuild=os.environ.get("SECTOR_DATASETS_FORCE_RUN", "").strip().lower() in _TRUE,
        warehouse_kind=_warehouse_kind(),
        warehouse_override=_parsed("SECTOR_DATASETS_WAREHOUSE", Path, None),
        exports_override=_override("SECTOR_DATASETS_EXPORTS"),
        expectations_override=_override("SECTOR_DATASETS_EXPECTATIONS_DIR"),
        reader_wait_s=_parsed("SECTOR_DATASETS_READER_WAIT", float, Settings.reader_wait_s),
        pg_writer_slots=_parsed("SECTOR_DATASETS_PG_WRITER_SLOTS", lambda raw: max(1, int(raw)), Settings.pg_writer_slots),
        pg_build_lock_timeout_s=_parsed(PG_BUILD_LOCK_TIMEOUT_ENV, float, Settings.pg_build_lock_timeout_s),
        celery_preload=os.environ.get("SECTOR_DATASETS_CELERY_PRELOAD", "1").strip().lower() not in _FALSE,
        alert_smtp_conn_id=os.environ.get("SECTOR_DATASETS_ALERT_SMTP_CONN_ID", "").strip() or Settings.alert_smtp_conn_id,
        alert_from_email=os.environ.get("SECTOR_DATASETS_ALERT_FROM", "").strip() or None,
        scorecard_url=_scorecard_url(),
        approvals=_approvals(),
        public_base_url=_public_base_url(),
        render_site=os.environ.get(RENDER_SITE_ENV, "1").strip().lower() not in _FALSE,
    )

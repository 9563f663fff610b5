"""docker-compose.yml is validated structurally (no Docker engine on the development machines)."""

from __future__ import annotations

import re

import yaml

from sector_datasets.settings import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker", "airflow-triggerer", "airflow-init"}


def test_the_official_airflow_3_topology_is_there():
    assert AIRFLOW_SERVICES | {"postgres", "redis"} <= set(COMPOSE["services"])
    commands = {name: COMPOSE["services"][name].get("command") for name in AIRFLOW_SERVICES - {"airflow-init"}}
    assert commands == {
        "airflow-apiserver": "api-server",
        "airflow-scheduler": "scheduler",
        "airflow-dag-processor": "dag-processor",
        "airflow-worker": "celery worker",
        "airflow-triggerer": "triggerer",
    }


def test_every_airflow_process_shares_executor_broker_db_and_jwt_secret():
    env = COMPOSE["x-airflow-common"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:6379")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].endswith("/execution/")
    assert "AIRFLOW__API_AUTH__JWT_SECRET" in env


def test_long_running_services_have_health_checks():
    for name in AIRFLOW_SERVICES - {"airflow-init"} | {"postgres", "redis"}:
        assert "healthcheck" in COMPOSE["services"][name], name


def test_no_secret_has_a_default_and_none_is_committed():
    text = (REPO_ROOT / "docker-compose.yml").read_text()
    for secret in ("POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_FERNET_KEY", "AIRFLOW_ADMIN_PASSWORD"):
        uses = re.findall(r"\$\{" + secret + r"([^}]*)\}", text)
        assert uses, secret
        assert any(u.startswith(":?") for u in uses), f"{secret} must be required (${{{secret}:?…}})"
        assert not any(u.startswith(":-") for u in uses), f"{secret} must not have a default"
    example = (REPO_ROOT / ".env.example").read_text()
    for line in example.splitlines():
        if re.match(r"^(POSTGRES_PASSWORD|AIRFLOW_JWT_SECRET|AIRFLOW_FERNET_KEY|AIRFLOW_ADMIN_PASSWORD)=", line):
            assert line.endswith("="), f".env.example must not carry a secret: {line}"
    assert ".env" in (REPO_ROOT / ".gitignore").read_text().split()


def test_the_ui_binds_to_loopback_unless_told_otherwise():
    ports = COMPOSE["services"]["airflow-apiserver"]["ports"]
    assert ports == ["${AIRFLOW_UI_BIND:-127.0.0.1}:8080:8080"]
    for name, service in COMPOSE["services"].items():
        if name != "airflow-apiserver":
            assert "ports" not in service, f"{name} must not publish ports"


def test_workers_use_the_projects_celery_config_and_an_installed_result_backend_driver():
    import importlib

    env = COMPOSE["x-airflow-common"]["environment"]
    # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3, which requirements.txt does not install.
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://")
    module, _, attr = env["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"].rpartition(".")
    config = getattr(importlib.import_module(module), attr)
    assert config["result_extended"] is True  # celery_taskmeta.worker: which worker ran a task


def test_the_image_keeps_the_repository_layout_the_package_expects():
    """settings.REPO_ROOT is plugins/..: dbt_project/, expectations/ and include/ must sit next to plugins/."""
    from pathlib import PurePosixPath

    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    copies = dict(re.findall(r"^COPY\s+(?:--\S+\s+)*(\S+)\s+(\S+)$", dockerfile, re.M))
    root = PurePosixPath(copies["plugins"]).parent
    for folder in ("dags", "plugins", "include", "dbt_project", "expectations"):
        assert PurePosixPath(copies[folder]) == root / folder, folder
    assert f"PYTHONPATH={root}/plugins" in dockerfile
    assert f"AIRFLOW__CORE__DAGS_FOLDER={root}/dags" in dockerfile
    env = COMPOSE["x-airflow-common"]["environment"]
    assert env["SECTOR_DATASETS_REGISTRY"] == f"{root}/include/sectors"
    volumes = COMPOSE["x-airflow-common"]["volumes"]
    assert f"sector-data:{env['SECTOR_DATASETS_HOME']}" in volumes  # one home shared by every worker


def test_the_admin_password_from_env_reaches_the_auth_manager():
    env = COMPOSE["x-airflow-common"]["environment"]
    passwords = env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    assert passwords.startswith(env["SECTOR_DATASETS_HOME"] + "/"), "on the shared volume, written once by airflow-init"
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"].endswith(":admin")
    init = COMPOSE["services"]["airflow-init"]
    script = init["command"][-1]
    assert "SIMPLE_AUTH_MANAGER_PASSWORDS_FILE" in script and "ADMIN_PASSWORD" in script
    assert init["environment"]["ADMIN_PASSWORD"].startswith("${AIRFLOW_ADMIN_PASSWORD:?")
    assert not any(k.startswith("_AIRFLOW_WWW_USER") for k in init["environment"]), "FAB-only settings do nothing here"
    assert "airflow db migrate" in script and "airflow pools set sector_datasets_warehouse" in script
    assert "writer_pool(get_settings().warehouse_kind)" in script  # 1 slot on DuckDB, more on PostgreSQL

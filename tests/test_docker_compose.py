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

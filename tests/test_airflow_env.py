"""Airflow on any port: the tasks report to the api-server they run under (issue 16)."""

from __future__ import annotations

from sector_datasets.orchestration.airflow_env import airflow_environment, ui_url
from sector_datasets.settings import get_settings


def _clear(monkeypatch):
    for var in ("AIRFLOW__API__PORT", "AIRFLOW__API__HOST", "AIRFLOW__API__BASE_URL",
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL"):
        monkeypatch.delenv(var, raising=False)


def test_the_execution_api_url_follows_the_port(monkeypatch):
    _clear(monkeypatch)
    env = airflow_environment(get_settings())
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8080/execution/"
    assert ui_url(env) == "http://127.0.0.1:8080"
    monkeypatch.setenv("AIRFLOW__API__PORT", "8093")
    env = airflow_environment(get_settings())
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8093/execution/"
    assert ui_url(env) == "http://127.0.0.1:8093"
    env = airflow_environment(get_settings(), api_port=9001)  # `cli ui --port 9001` / the UI tests
    assert env["AIRFLOW__API__PORT"] == "9001"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:9001/execution/"


def test_a_server_on_every_interface_is_reached_on_loopback_and_explicit_settings_win(monkeypatch):
    _clear(monkeypatch)
    monkeypatch.setenv("AIRFLOW__API__HOST", "0.0.0.0")
    monkeypatch.setenv("AIRFLOW__API__PORT", "8094")
    assert airflow_environment(get_settings())["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8094/execution/"
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "http://api.internal:9000/execution/")
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://data.example.gov.vn/airflow/")
    env = airflow_environment(get_settings())
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://api.internal:9000/execution/"
    assert ui_url(env) == "https://data.example.gov.vn/airflow"


def test_the_owner_link_in_alerts_uses_the_port(monkeypatch):
    _clear(monkeypatch)
    monkeypatch.delenv("SECTOR_DATASETS_SCORECARD_URL", raising=False)
    monkeypatch.setenv("AIRFLOW__API__PORT", "8093")
    assert get_settings().scorecard_url == "http://localhost:8093/dags/{dag_id}/plugin/sector-datasets-dag"

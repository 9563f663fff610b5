"""Registry files and the environment are untrusted input: hosts are allow-listed, identifiers
validated, YAML loaded safely, landing paths confined, and the local UI bound to loopback."""

from __future__ import annotations

import dataclasses

import pytest

from sector_datasets.orchestration.airflow_env import airflow_environment
from sector_datasets.state.layout import landing_path
from sector_datasets.registry import DEFAULT_ALLOWED_HOSTS, RegistryError, load_registry
from sector_datasets.settings import get_settings
from tests.helpers import REGISTRY_DIR as REGISTRY, copy_registry, edit_yaml


# --------------------------------------------------------------------------- source URLs


def test_the_real_registry_fetches_only_from_its_allow_listed_hosts():
    registry = load_registry(REGISTRY)
    assert registry.policy_file == REGISTRY / "_policy.yml"
    assert "_policy" not in registry.sectors, "_policy.yml is the policy, not a sector"
    urls = [u for s in registry.sources.values() for u in s.urls]
    hosts = {u.split("/")[2] for u in urls}
    assert hosts <= set(registry.policy.allowed_hosts) == set(DEFAULT_ALLOWED_HOSTS)
    assert {u.split(":")[0] for u in urls} == {"https"}


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://evil.example.net/payload.csv", "host 'evil.example.net' is not in the allowed hosts"),
        ("http://api.worldbank.org/v2/country/VNM", "scheme 'http' is not allowed"),
        ("https://api.worldbank.org.evil.net/v2", "host 'api.worldbank.org.evil.net' is not in the allowed hosts"),
        ("https://user:pw@api.worldbank.org/v2", "must not embed credentials"),
        ("https://api.worldbank.org/v2?api_key=abc", "must not carry a secret in its query string"),
    ],
)
def test_a_source_url_outside_the_policy_is_rejected_naming_file_and_key(tmp_path, url, problem):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][2].__setitem__("url", url))
    with pytest.raises(RegistryError) as err:
        load_registry(reg)
    message = str(err.value)
    assert "health.yml: sources[2].url:" in message and problem in message and "_policy.yml" in message


def test_a_literal_secret_in_params_is_rejected(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0]["params"].__setitem__("apiKey", "SYNTHETIC123"))
    with pytest.raises(RegistryError, match=r"health\.yml: sources\[0\]\.params\.apiKey: a secret must not be written"):
        load_registry(reg)


def test_secrets_are_declared_by_environment_variable_name_only(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0].__setitem__("headers_from_env", {"X-API-Key": "WB_API_KEY"}))
    assert load_registry(reg).sources["wb_infant_mortality_vnm"].headers_from_env == {"X-API-Key": "WB_API_KEY"}
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0].__setitem__("headers_from_env", {"X-API-Key": "sk-live-123"}))
    with pytest.raises(RegistryError, match=r"health\.yml: sources\[0\]\.headers_from_env\.X-API-Key"):
        load_registry(reg)


def test_a_policy_file_can_allow_a_new_host(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][2].__setitem__("url", "https://data.gov.vn/x.csv"))
    edit_yaml(reg / "_policy.yml", lambda d: d["allowed_hosts"].append("data.gov.vn"))
    assert load_registry(reg).sources["wb_life_expectancy_vnm"].url == "https://data.gov.vn/x.csv"


# --------------------------------------------------------------------------- identifiers and YAML


@pytest.mark.parametrize("column", ['year"; DROP TABLE curated.x; --', "year;", "Year", "year name", "1year"])
def test_a_primary_key_column_that_is_not_a_plain_identifier_is_rejected(tmp_path, column):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["datasets"][0]["primary_key"].__setitem__(0, column))
    with pytest.raises(RegistryError, match=r"health\.yml: datasets\[0\]\.primary_key\[0\]: String should match pattern"):
        load_registry(reg)


def test_personal_data_column_names_are_identifiers_too(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "education.yml", lambda d: d["datasets"][0].__setitem__("personal_data", {"pii": ['id" OR 1=1']}))
    with pytest.raises(RegistryError, match=r"education\.yml: datasets\[0\]\.personal_data\.pii\[0\]"):
        load_registry(reg)


def test_a_python_object_tag_is_refused_with_a_clear_message_and_never_executed(tmp_path):
    reg = copy_registry(tmp_path)
    marker = tmp_path / "pwned"
    text = (reg / "health.yml").read_text(encoding="utf-8")
    (reg / "health.yml").write_text(
        text + f"\nexploit: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    with pytest.raises(RegistryError) as err:
        load_registry(reg)
    message = str(err.value)
    assert "health.yml" in message and "python/object/apply:os.system" in message and "yaml.safe_load" in message
    assert not marker.exists()


# --------------------------------------------------------------------------- landing paths


@pytest.mark.parametrize(
    ("sector", "run_id", "source"),
    [
        ("../etc", "run_1", "wb_x"),
        ("health", "../../outside", "wb_x"),
        ("health", "run/../../x", "wb_x"),
        ("health", "..", "wb_x"),
        ("health", "run_1", "../wb_x"),
        ("health", "run_1", "/abs"),
        ("health", "", "wb_x"),
    ],
)
def test_landing_paths_cannot_escape_the_landing_root(tmp_path, sector, run_id, source):
    with pytest.raises(ValueError):
        landing_path(tmp_path, sector, run_id, source)


def test_an_airflow_run_id_maps_to_a_folder_inside_the_landing_root(tmp_path):
    path = landing_path(tmp_path, "health", "scheduled__2025-01-06T00:00:00+00:00", "wb_x")
    assert path.resolve().is_relative_to(tmp_path.resolve())


def test_a_snapshot_path_from_config_cannot_leave_the_snapshot_dir(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0].__setitem__("snapshot", "../../etc/passwd"))
    with pytest.raises(RegistryError, match=r"health\.yml: sources\[0\]\.snapshot"):
        load_registry(reg)


# --------------------------------------------------------------------------- the local UI


def test_the_local_airflow_ui_listens_on_loopback_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("AIRFLOW__API__HOST", raising=False)
    env = airflow_environment(dataclasses.replace(get_settings(), home=tmp_path))
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert env["AIRFLOW__API__EXPOSE_CONFIG"] == "False"
    # The generated admin password stays in the private home, not in the repository.
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"].startswith(str(tmp_path))

"""The registry is validated on load; errors name the file and the key."""

import pytest
import yaml

from sector_datasets.registry import RegistryError, load_registry
from sector_datasets.settings import REPO_ROOT
from tests.helpers import REGISTRY_DIR as REGISTRY, copy_registry, edit_yaml


def test_the_real_registry_loads_with_every_dataset_pointing_at_a_model_and_a_suite():
    registry = load_registry(REGISTRY)
    assert {"agriculture", "health", "transport", "reference"} <= set(registry.sectors)
    for sector_id, (sector, dataset) in registry.datasets.items():
        assert (REPO_ROOT / "expectations" / f"{dataset.suite_name}.json").is_file(), dataset.id
        marts = REPO_ROOT / "dbt_project" / "models" / "marts" / sector.id
        assert (marts / f"{dataset.model_name}.sql").is_file(), dataset.id
    # The programme asks 3-5 datasets of every ministry and every province: a sector's national
    # datasets plus its province-level and monthly ones may go a little beyond five, never below three.
    for sector in registry.sectors.values():
        if sector.kind == "sector":
            assert 3 <= len(sector.datasets) <= 7, f"{sector.id} publishes {len(sector.datasets)} datasets"


def test_a_typo_in_a_key_names_the_file_and_the_key(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0].__setitem__("formatt", "csv"))
    with pytest.raises(RegistryError) as err:
        load_registry(reg)
    message = str(err.value)
    assert "health.yml" in message and "sources[0].formatt" in message


def test_a_bad_value_names_the_file_the_key_path_and_the_problem(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "transport.yml", lambda d: d["sources"][1].__setitem__("format", "parquet"))
    with pytest.raises(RegistryError, match=r"transport\.yml: sources\[1\]\.format"):
        load_registry(reg)


def test_a_dataset_reading_an_undeclared_source_is_rejected(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "agriculture.yml", lambda d: d["datasets"][0]["sources"].append("no_such_source"))
    with pytest.raises(RegistryError, match=r"agriculture\.yml: datasets\[0\]\.sources\[\d+\]: 'no_such_source'"):
        load_registry(reg)


def test_a_source_id_that_could_escape_the_landing_zone_is_rejected(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0].__setitem__("id", "../etc"))
    with pytest.raises(RegistryError, match=r"health\.yml: sources\[0\]\.id"):
        load_registry(reg)


def test_a_snapshot_path_outside_the_snapshot_dir_is_rejected(tmp_path):
    reg = copy_registry(tmp_path)
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0].__setitem__("snapshot", "../../etc/passwd"))
    with pytest.raises(RegistryError, match=r"health\.yml: sources\[0\]\.snapshot"):
        load_registry(reg)


def test_invalid_yaml_names_the_file(tmp_path):
    reg = copy_registry(tmp_path)
    (reg / "health.yml").write_text("id: health\nsources: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"health\.yml: not valid YAML"):
        load_registry(reg)


def test_a_duplicate_source_id_across_files_names_both_files(tmp_path):
    reg = copy_registry(tmp_path)
    other = yaml.safe_load((reg / "agriculture.yml").read_text(encoding="utf-8"))["sources"][0]["id"]
    edit_yaml(reg / "health.yml", lambda d: d["sources"][0].__setitem__("id", other))
    with pytest.raises(RegistryError, match=r"already declared in .*agriculture\.yml"):
        load_registry(reg)

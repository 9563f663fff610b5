"""The code fingerprint that decides "unchanged" sees every file that can change a sector's
datasets — and only those — on a private copy of the project files."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from sector_datasets import recovery
from sector_datasets.registry import load_registry
from sector_datasets.settings import REPO_ROOT, get_settings
from tests.privacy.synthetic import environment


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO_ROOT / "dbt_project", root / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    shutil.copytree(REPO_ROOT / "expectations", root / "expectations")
    shutil.copytree(REPO_ROOT / "include" / "sectors", root / "include" / "sectors")
    return root


@pytest.fixture
def fingerprint(project, tmp_path):
    """fingerprint(sector) on a fresh copy of the project, and the copy's root to edit."""
    root = tmp_path / "p"
    shutil.copytree(project, root)
    with environment(SECTOR_DATASETS_EXPECTATIONS_DIR=None, SECTOR_DATASETS_PII_SALT=None):
        settings = dataclasses.replace(get_settings(), repo_root=root, registry_dir=root / "include" / "sectors")

        def compute(sector_id: str) -> str:
            registry = load_registry(settings.registry_dir)
            return recovery.code_fingerprint(settings, registry, registry.sector(sector_id))

        yield compute, root


def touch(path: Path) -> None:
    """A harmless but real edit: a comment (a space in a JSON suite)."""
    comment = {".sql": "\n-- edited\n", ".yml": "\n# edited\n", ".json": " "}[path.suffix]
    path.write_text(path.read_text(encoding="utf-8") + comment, encoding="utf-8")


def one(root: Path, pattern: str) -> Path:
    return sorted(root.glob(pattern))[0]


@pytest.mark.parametrize(
    "edited",
    [
        "dbt_project/models/marts/health/*.sql",        # the sector's own mart
        "dbt_project/models/intermediate/health/*.sql",  # its intermediate models
        "dbt_project/models/staging/worldbank/*.sql",    # staging it reads
        "dbt_project/macros/*.sql",                      # shared macros
        "dbt_project/models/marts/reference/*.sql",      # shared dimensions
        "dbt_project/dbt_project.yml",
        "expectations/health_tb_burden.json",            # one of its suites
        "include/sectors/health.yml",                    # its registry file
        "include/sectors/reference.yml",                 # ... and that of a reference source it reads
        "include/sectors/_policy.yml",
    ],
)
def test_an_edit_that_can_change_the_sector_changes_its_fingerprint(fingerprint, edited):
    compute, root = fingerprint
    sector = "health" if "reference.yml" not in edited else "education"
    before = compute(sector)
    touch(one(root, edited))
    assert compute(sector) != before


@pytest.mark.parametrize(
    "edited",
    [
        "dbt_project/models/marts/transport/*.sql",
        "dbt_project/models/intermediate/agriculture/*.sql",
        "dbt_project/models/exposures/*.yml",
        "expectations/transport_airports.json",
        "include/sectors/transport.yml",
    ],
)
def test_another_sectors_files_do_not_change_it(fingerprint, edited):
    compute, root = fingerprint
    before = compute("health")
    touch(one(root, edited))
    assert compute("health") == before


def test_rotating_the_pii_salt_changes_the_fingerprint_of_a_hashing_sector_only(fingerprint):
    import yaml

    compute, root = fingerprint
    path = root / "include" / "sectors" / "education.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["datasets"][0]["personal_data"]["pii_handling"] = "hash"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with environment(SECTOR_DATASETS_PII_SALT="SYNTHETIC-salt-one-0000000000"):
        first, health = compute("education"), compute("health")
    with environment(SECTOR_DATASETS_PII_SALT="SYNTHETIC-salt-two-0000000000"):
        assert compute("education") != first
        assert compute("health") == health

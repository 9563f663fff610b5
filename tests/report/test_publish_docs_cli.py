"""`cli publish-docs`: real `dbt parse` + `dbt docs generate` on a built platform, linked from the site.

Runs on a copy of the session's built platform so the shared home's reports stay as the pipeline
wrote them for the other tests.
"""

from __future__ import annotations

import json
import shutil

import pytest

from sector_datasets import cli

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]  # slow: needs built_platform


def test_publish_docs_writes_dbt_docs_and_links_every_dataset_page(built_platform, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    shutil.copytree(built_platform, home, symlinks=True, ignore=shutil.ignore_patterns("logs", "landing"))
    monkeypatch.setenv("SECTOR_DATASETS_HOME", str(home))

    assert cli.main(["publish-docs"]) == 0

    docs = home / "reports" / "dbt-docs"
    assert "static_index.html" in capsys.readouterr().out
    manifest = json.loads((docs / "manifest.json").read_text())
    crop = manifest["nodes"]["model.sector_datasets.agri_crop_production"]
    assert crop["columns"]["item_name"]["description"], "column descriptions are the data dictionary"
    catalog = json.loads((docs / "catalog.json").read_text())
    assert "model.sector_datasets.agri_crop_production" in catalog["nodes"], "catalog read from the warehouse"
    assert (docs / "static_index.html").stat().st_size > (docs / "index.html").stat().st_size  # manifest inlined

    pages = list((home / "reports").rglob("agri_crop_production*.html"))
    assert pages, "the dataset's report page"
    assert any("dbt-docs/static_index.html#!/model/model.sector_datasets.agri_crop_production" in p.read_text()
               for p in pages), [str(p) for p in pages]

"""``metadata.json`` of a published version: what the dataset is, where it came from, its columns.

The data dictionary is dbt's: model and column descriptions come from ``manifest.json``
(``description``, ``meta.description_vi``, ``meta.unit``); columns protected as personal data
say how. Each source lists the reviewable corrections applied to it in staging
(``dbt_project/seeds/corrections/corrections__<source>.csv``).
"""

from __future__ import annotations

import copy
import csv
import functools
import json
from pathlib import Path
from typing import Any

from sector_datasets import privacy
from sector_datasets.registry import Dataset, Registry, Sector
from sector_datasets.settings import REPO_ROOT

CORRECTIONS_DIR = REPO_ROOT / "dbt_project" / "seeds" / "corrections"


def column_dictionary(con: Any, relation: str, dbt_columns: dict, personal_data: dict | None = None) -> list[dict]:
    hashed = set((personal_data or {}).get("hashed_columns") or [])
    suppressed = set(((personal_data or {}).get("k_anonymity") or {}).get("suppressed_cells") or {})
    k = ((personal_data or {}).get("k_anonymity") or {}).get("k")
    out = []
    for column, dtype in privacy.columns_of(con, relation):
        doc = dbt_columns.get(column, {})
        meta = doc.get("meta") or {}
        entry = {
            "name": column,
            "type": dtype,
            "description": doc.get("description") or "",
            "description_vi": meta.get("description_vi", ""),
            "unit": meta.get("unit"),
        }
        if column in hashed:
            entry["description"] = (entry["description"] + " " if entry["description"] else "") + (
                "Pseudonymised: salted SHA-256 of the original value (personal data, Decree 13/2023)."
            )
            entry["description_vi"] = (entry["description_vi"] + " " if entry["description_vi"] else "") + (
                "Đã bút danh hoá: SHA-256 có muối của giá trị gốc (dữ liệu cá nhân, Nghị định 13/2023)."
            )
            entry["personal_data"] = "pii_hashed"
        elif column in suppressed:
            entry["personal_data"] = f"k_anonymity: counts below {k} published as NULL"
        out.append(entry)
    return out


def load_dbt_docs(manifest_path: Path, model: str) -> dict:
    """Model description and column docs from dbt's manifest: dbt yml is the data dictionary."""
    if not manifest_path.exists():
        return {}
    st = manifest_path.stat()
    return copy.deepcopy(_model_docs(str(manifest_path), st.st_size, st.st_mtime_ns).get(model, {}))


@functools.lru_cache(maxsize=4)
def _model_docs(path: str, size: int, mtime_ns: int) -> dict[str, dict]:
    """Every model's docs, read once per manifest file version (5 MB of JSON; one per publish before)."""
    manifest = json.loads(Path(path).read_text())
    return {
        node.get("name"): {"description": node.get("description", ""), "columns": node.get("columns", {})}
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
    }


def source_corrections(corrections_dir: Path, source_id: str) -> list[dict]:
    """The reviewable corrections applied to a source in staging (empty if it has none)."""
    path = corrections_dir / f"corrections__{source_id}.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build_metadata(
    con: Any,
    relation: str,
    registry: Registry,
    sector: Sector,
    dataset: Dataset,
    *,
    version: int,
    row_count: int,
    checksum: str,
    run_id: str,
    published_at: str,
    dbt_manifest: Path,
    validation: dict,
    personal_data: dict | None = None,
) -> dict:
    """``metadata.json`` of ``relation`` published as ``version``, its columns documented from dbt."""
    docs = load_dbt_docs(dbt_manifest, dataset.model_name)
    columns = column_dictionary(con, relation, docs.get("columns", {}), personal_data)
    sources = [registry.sources[s] for s in dataset.sources]
    metadata = {
        "id": dataset.id,
        "sector": {"id": sector.id, "name": sector.name.model_dump()},
        "title": dataset.title.model_dump(),
        "description": dataset.description.model_dump(),
        "owner": sector.owner.model_dump(),
        "grain": dataset.grain,
        "primary_key": dataset.primary_key,
        "update_frequency": dataset.update_frequency,
        "licence": dataset.licence,
        "coverage": dataset.coverage,
        "version": version,
        "published_at": published_at,
        "run_id": run_id,
        "row_count": row_count,
        "checksum": checksum,
        "columns": columns,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "licence": s.licence,
                "provenance": s.provenance,
                "known_issues": s.known_issues,
                "corrections": source_corrections(CORRECTIONS_DIR, s.id),
            }
            for s in sources
        ],
        "inputs": [
            {"id": i, "title": registry.datasets[i][1].title.model_dump(), "licence": registry.datasets[i][1].licence}
            for i in dataset.inputs
        ],
        "validation": validation,
    }
    metadata["personal_data"] = personal_data or privacy.PrivacyReport(
        pii_columns=list(dataset.personal_data.pii), pii_handling=dataset.personal_data.pii_handling,
        quasi_identifiers=list(dataset.personal_data.quasi),
    ).metadata_block()
    return metadata

"""``metadata.json`` of a published version: what the dataset is, where it came from, its columns.

The data dictionary is the dataset's contract (``columns:`` of its registry entry): type,
bilingual description, unit, nullability, allowed values. The column *list* is the published
table's, so a column the contract does not declare fails the publish instead of being published
undocumented. Columns protected as personal data say how. ``promise`` is the coverage the
contract promises (geography, period, series). Each source lists the reviewable corrections
applied to it in staging (``dbt_project/seeds/corrections/corrections__<source>.csv``).
``period_coverage`` is the period span the published data actually holds (the promise says what
it must hold); ``changes`` is the version's release note — its diff against the version served
before, the publish policy's outcome, a bilingual note and the owner's approval, if one was needed.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sector_datasets import privacy
from sector_datasets.publish import PublishError
from sector_datasets.registry import Dataset, Registry, Sector
from sector_datasets.settings import REPO_ROOT
from sector_datasets.warehouse.duckdb_lock import quote_ident

CORRECTIONS_DIR = REPO_ROOT / "dbt_project" / "seeds" / "corrections"


def column_dictionary(
    con: Any, relation: str, sector_id: str, dataset: Dataset, personal_data: dict | None = None
) -> list[dict]:
    """One entry per column of the published ``relation``, documented from the contract."""
    contract = {c.name: c for c in dataset.columns}
    hashed = set((personal_data or {}).get("hashed_columns") or [])
    k_anon = dataset.personal_data.k_anonymity
    # Suppressed person counts are NULL by design, whatever the contract says of the mart.
    suppressible = set(k_anon.count_columns) if k_anon else set()
    suppressed = set(((personal_data or {}).get("k_anonymity") or {}).get("suppressed_cells") or {})
    out = []
    for column, dtype in privacy.columns_of(con, relation):
        c = contract.get(column)
        if c is None:
            raise PublishError(
                f"sector {sector_id!r} dataset {dataset.id!r}: published column {column!r} has no entry in the "
                f"dataset's contract (columns: in include/sectors/{sector_id}.yml); declare it or drop it from "
                f"the mart {dataset.model_name}.sql"
            )
        entry: dict[str, Any] = {
            "name": column,
            "type": "text" if column in hashed else c.type,
            "warehouse_type": dtype,
            "description": c.description.en,
            "description_vi": c.description.vi,
            "unit": c.unit,
            "nullable": c.nullable or column in suppressible,
            "unique": c.unique,
        }
        if c.values is not None and column not in hashed:  # a hash is none of the declared values
            entry["values"] = list(c.values)
        if c.references:
            entry["references"] = c.references
        if column in hashed:
            entry["description"] += " Pseudonymised: salted SHA-256 of the original value (personal data, Decree 13/2023)."
            entry["description_vi"] += (
                " Đã bút danh hoá: SHA-256 có muối của giá trị gốc (dữ liệu cá nhân, Nghị định 13/2023)."
            )
            entry["personal_data"] = "pii_hashed"
        elif column in suppressed or column in suppressible:
            entry["personal_data"] = f"k_anonymity: counts below {k_anon.k if k_anon else '?'} published as NULL"
        out.append(entry)
    return out


def promised_coverage(dataset: Dataset) -> dict:
    """The coverage the contract promises (``promise:``), as published metadata says it."""
    p = dataset.promise
    out: dict[str, Any] = {"geography": p.geography.model_dump(exclude_none=True), "min_rows": p.min_rows}
    if p.period:
        out["period"] = p.period
    if p.min_periods:
        out["min_periods"] = p.min_periods
    if p.series_column:
        out["series_column"] = p.series_column
        out["series"] = {code: {"min_periods": s.min_periods} for code, s in p.series.items()}
        out["exhaustive"] = p.exhaustive
    return out


def _json_value(value: Any) -> Any:
    """A period bound as JSON: numbers stay numbers (a year), dates and the rest become text."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def period_coverage(con: Any, relation: str, dataset: Dataset) -> dict | None:
    """The periods the published ``relation`` actually holds, over the contract's period column
    (None when the contract names none): first, last and how many distinct periods."""
    column = dataset.promise.period
    if not column:
        return None
    col = quote_ident(column)
    low, high, count = con.execute(f"SELECT min({col}), max({col}), count(DISTINCT {col}) FROM {relation}").fetchone()
    return {"column": column, "from": _json_value(low), "to": _json_value(high), "periods": int(count or 0)}


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
    validation: dict,
    personal_data: dict | None = None,
    changes: dict | None = None,
) -> dict:
    """``metadata.json`` of ``relation`` published as ``version``, its columns documented from the contract.

    ``changes`` (publish's review: diff, policy outcome, bilingual note, approval) becomes
    ``metadata["changes"]``, the version's release note; absent when not reviewed (a repair).
    """
    columns = column_dictionary(con, relation, sector.id, dataset, personal_data)
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
        "promise": promised_coverage(dataset),
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
                "url": s.link,
                **({"releases": [{"key": r.key, "url": r.url} for r in s.releases]} if s.releases else {}),
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
    # A period column dropped as personal data has no coverage to report.
    coverage = period_coverage(con, relation, dataset) if dataset.promise.period in {c["name"] for c in columns} else None
    if coverage is not None:
        metadata["period_coverage"] = coverage
    if changes is not None:
        metadata["changes"] = changes
    metadata["personal_data"] = personal_data or privacy.PrivacyReport(
        pii_columns=list(dataset.personal_data.pii), pii_handling=dataset.personal_data.pii_handling,
        quasi_identifiers=list(dataset.personal_data.quasi),
    ).metadata_block()
    if changes is not None:
        metadata["changes"] = changes
    return metadata

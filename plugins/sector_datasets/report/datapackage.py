"""A Frictionless Data Package per published dataset, generated from the registry, the published
metadata (the dataset's contract) and the rule files (the DCAT-AP catalog of all of them: :mod:`.dcat`).

``exports/<sector>/<dataset>/datapackage.json``
    describes the *current* version by relative paths (``current/<dataset>.csv``,
    ``current/<dataset>.parquet``, ``current/metadata.json``), each with its size and SHA-256, so
    ``frictionless validate`` checks the very bytes it was generated from. The CSV is a tabular
    resource with a Table Schema from the contract as ``metadata.json`` recorded it at publish:
    types (text → string, integer, double/decimal → number, boolean, date, timestamp →
    datetime), descriptions (English; ``description_vi`` Vietnamese), units, the primary key,
    and constraints (not nullable → ``required``, ``values`` → ``enum``, ``unique``); the rule
    file adds what means the same thing (between → ``minimum``/``maximum``, anchored regex →
    ``pattern``, lengths → ``minLength``/``maxLength``; never when the expectation has ``mostly``
    or a ``row_condition``). ``sector_datasets.promise`` is the promised coverage. Parquet and
    metadata.json are file resources (frictionless has no Parquet reader without extra packages;
    the tests check the Parquet schema with DuckDB).
    ``version`` is the published version N as ``"N.0.0"``: the spec's ``version`` "should conform
    to the Semantic Versioning requirements and should follow the Data Package Version pattern"
    (frictionless ``Package.version``; https://specs.frictionlessdata.io/patterns/#data-package-version).
    Our versions are whole releases numbered 1, 2, 3…, so N is the major number and never goes back.
    ``notes`` (vi/en) is the version's release note and ``sector_datasets.changes`` the whole
    record behind it (diff, policy outcome, approval), both from ``metadata.json["changes"]``;
    ``sector_datasets.period_coverage`` the periods the data actually holds.
    Version folders are read-only, so the package sits beside ``current``; it is regenerated at
    the end of every sector run, after the publish.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sector_datasets.settings import Settings
from sector_datasets.state import layout
from sector_datasets.report._files import atomic_write_json, rel_url
from sector_datasets.report.facts import DatasetFacts
from sector_datasets.report.licences import parse_licence

PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
XLSX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------------------------
# Contract → Table Schema
# ---------------------------------------------------------------------------------------------

#: The contract's type vocabulary (registry.contract.ColumnType) → Table Schema type.
SCHEMA_TYPES: dict[str, dict[str, str]] = {
    "text": {"type": "string"},
    "integer": {"type": "integer"},
    "double": {"type": "number"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "date"},
    "timestamp": {"type": "datetime", "format": "any"},  # DuckDB writes "2024-01-01 00:00:00"
}


def table_schema_type(contract_type: str) -> dict[str, str]:
    """A contract column type → Table Schema ``type`` (and ``format`` where DuckDB's CSV needs one)."""
    return dict(SCHEMA_TYPES.get(contract_type, {"type": "any"}))


def _typed(value: Any, field_type: str) -> Any:
    """An allowed value as the field's type: Frictionless compares enum values after casting."""
    try:
        if field_type == "integer":
            return int(value)
        if field_type == "number":
            return float(value)
    except (TypeError, ValueError):
        return value
    return str(value) if field_type == "string" else value


def contract_constraints(column: dict, field_type: str) -> dict[str, Any]:
    """What a published column's contract (``metadata.json`` ``columns``) says as constraints."""
    out: dict[str, Any] = {}
    if column.get("nullable") is False:
        out["required"] = True
    if column.get("unique"):
        out["unique"] = True
    values = column.get("values")
    if values:
        out["enum"] = [_typed(v, field_type) for v in values]
    return out


def table_field(column: dict, suite: dict | None) -> dict[str, Any]:
    """The Table Schema field of one published column: type, descriptions and unit from the
    contract; constraints from the contract, plus ranges and patterns from the rule file."""
    kind = table_schema_type(str(column.get("type") or ""))
    field: dict[str, Any] = {"name": column.get("name", ""), **kind, "description": column.get("description") or ""}
    if column.get("description_vi"):
        field["description_vi"] = column["description_vi"]
    if column.get("unit"):
        field["unit"] = column["unit"]
    if column.get("warehouse_type"):
        field["duckdb_type"] = column["warehouse_type"]
    constraints = {**field_constraints(suite, field["name"], kind["type"]), **contract_constraints(column, kind["type"])}
    if constraints:
        field["constraints"] = constraints
    return field


# ---------------------------------------------------------------------------------------------
# Great Expectations suite → Table Schema constraints
# ---------------------------------------------------------------------------------------------


def _strict(kwargs: dict) -> bool:
    """The expectation holds for every row — no ``mostly`` below 1, no ``row_condition`` (which
    applies it to a subset only) — so a column constraint may say the same."""
    if kwargs.get("row_condition"):
        return False
    mostly = kwargs.get("mostly")
    return mostly is None or float(mostly) >= 1.0


def field_constraints(suite: dict | None, column: str, field_type: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for exp in (suite or {}).get("expectations") or []:
        kwargs = exp.get("kwargs") or {}
        if kwargs.get("column") != column or not _strict(kwargs):
            continue
        kind = exp.get("type")
        if kind == "expect_column_values_to_not_be_null":
            out["required"] = True
        elif kind == "expect_column_values_to_be_unique":
            out["unique"] = True
        elif kind == "expect_column_values_to_be_between" and field_type in ("integer", "number"):
            lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
            if isinstance(lo, (int, float)) and not isinstance(lo, bool) and not kwargs.get("strict_min"):
                out["minimum"] = max(lo, out.get("minimum", lo))
            if isinstance(hi, (int, float)) and not isinstance(hi, bool) and not kwargs.get("strict_max"):
                out["maximum"] = min(hi, out.get("maximum", hi))
        elif kind == "expect_column_values_to_be_in_set" and field_type == "string":
            values = kwargs.get("value_set")
            if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
                out["enum"] = sorted(set(values))
        elif kind == "expect_column_values_to_match_regex" and field_type == "string":
            regex = kwargs.get("regex")
            # GX searches; a Table Schema pattern must match the whole value: same only if anchored.
            if isinstance(regex, str) and regex.startswith("^") and regex.endswith("$") and "pattern" not in out:
                out["pattern"] = regex
        elif kind == "expect_column_value_lengths_to_be_between" and field_type == "string":
            lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
            if isinstance(lo, int) and not isinstance(lo, bool):
                out["minLength"] = lo
            if isinstance(hi, int) and not isinstance(hi, bool):
                out["maxLength"] = hi
    return out


# ---------------------------------------------------------------------------------------------
# Data Package
# ---------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_stats(path: Path, previous: dict[str, dict]) -> dict[str, Any]:
    """``bytes`` and ``hash`` of a published file; reuses the previous package's hash when the
    same immutable version folder is described again (published files never change in place)."""
    size = path.stat().st_size
    old = previous.get(path.name)
    if old and old.get("bytes") == size and str(old.get("hash", "")).startswith("sha256:"):
        return {"bytes": size, "hash": old["hash"]}
    return {"bytes": size, "hash": f"sha256:{_sha256(path)}"}


def _previous_stats(package_path: Path, version_folder: str) -> dict[str, dict]:
    try:
        old = json.loads(package_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if (old.get("sector_datasets") or {}).get("version_folder") != version_folder:
        return {}
    return {Path(r.get("path", "")).name: r for r in old.get("resources") or []}


def _licences(text: str) -> list[dict[str, str]]:
    lic = parse_licence(text)
    entry = {"name": lic.identifier or "other", "title": text}
    if lic.url:
        entry["path"] = lic.url
    return [entry]


def package_version(version: int) -> str:
    """Version N as the Data Package Version pattern's semver (see the module docstring)."""
    return f"{int(version)}.0.0"


def release_notes(metadata: dict) -> dict[str, str] | None:
    """The version's human release note, ``{"vi": ..., "en": ...}`` (None: the version has none)."""
    note = ((metadata.get("changes") or {}).get("note")) or {}
    if not (note.get("vi") or note.get("en")):
        return None
    return {"vi": note.get("vi") or "", "en": note.get("en") or ""}


def build_datapackage(facts: DatasetFacts, dataset_dir: Path, sector_name: dict, owner: dict) -> dict:
    """The Data Package descriptor of the dataset's current version (``facts.published``)."""
    pub = facts.published
    if pub is None:
        raise ValueError(f"dataset {facts.dataset_id!r} is not published")
    ds = facts.dataset_id
    previous = _previous_stats(dataset_dir / layout.DATAPACKAGE_NAME, pub.folder.name)
    fields = [table_field(column, facts.suite) for column in pub.metadata.get("columns") or []]
    meta = pub.metadata
    sources = [
        {
            "title": s.get("title") or s.get("id"),
            "path": s.get("url"),
            "publisher": s.get("publisher"),
            "licence": s.get("licence"),
            "provenance": s.get("provenance"),
        }
        for s in meta.get("sources") or []
    ] + [
        {"title": f"sector-datasets: {i['id']} ({(i.get('title') or {}).get('en', '')})", "licence": i.get("licence")}
        for i in meta.get("inputs") or []
    ]
    if not sources:
        sources = [{"title": s.title, "path": s.url} for s in facts.sources]
    sources = [{k: v for k, v in s.items() if v} for s in sources]
    csv = layout.csv_file(pub.folder, ds)
    parquet = layout.parquet_file(pub.folder, ds)
    metadata = layout.metadata_file(pub.folder)
    # Resources name the files through 'current', so the descriptor stays valid while it is served.
    current = dataset_dir / layout.CURRENT
    resources: list[dict[str, Any]] = [
        {
            "name": ds,
            "path": rel_url(current / csv.name, dataset_dir),
            "profile": "tabular-data-resource",
            "title": facts.title_vi,
            "description": f"{facts.title_en} — CSV, UTF-8 with a byte-order mark (for Excel), header row, "
            f"plain decimals; one row per: {facts.grain}",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **_file_stats(csv, previous),
            "dialect": {"delimiter": ",", "header": True, "doubleQuote": True},
            "schema": {"fields": fields, "primaryKey": list(facts.primary_key), "missingValues": [""]},
        },
    ]
    def file_resource(name: str, path: Path, title: str, description: str, fmt: str, media: str) -> None:
        if path.is_file():  # a version published before a format existed lacks its file
            resources.append({
                "name": name, "path": rel_url(current / path.name, dataset_dir), "type": "file", "title": title,
                "description": description, "format": fmt, "mediatype": media, **_file_stats(path, previous),
            })

    file_resource(f"{ds}-parquet", parquet, f"{facts.title_vi} (Parquet)",
                  "The same table as the CSV resource, in Apache Parquet (zstd); same columns and types, "
                  "except DECIMAL columns stored as DOUBLE (exact at their declared scale).", "parquet", PARQUET_MEDIATYPE)
    file_resource(f"{ds}-xlsx", layout.xlsx_file(pub.folder, ds), f"{facts.title_vi} (Excel)",
                  "The same table as the CSV resource as an Excel workbook: sheet 'data' (text columns, codes "
                  "included, as text cells) and sheet 'dictionary' (column, type, unit, description vi/en).",
                  "xlsx", XLSX_MEDIATYPE)
    file_resource(f"{ds}-metadata", metadata, metadata.name,
                  "Data dictionary, licence, provenance, version and gate result of this version.", "json", "application/json")
    return {
        "profile": "data-package",
        "name": ds,
        "title": facts.title_vi,
        "title_en": facts.title_en,
        "description": facts.description_vi,
        "description_en": facts.description_en,
        "version": package_version(pub.version),
        "created": pub.published_at.isoformat() if pub.published_at else None,
        "keywords": [sector_name.get("vi", ""), sector_name.get("en", ""), facts.sector_id],
        "licenses": _licences(facts.licence),
        "sources": sources,
        "contributors": [
            {
                "title": owner.get("organisation", {}).get("vi") or owner.get("organisation", {}).get("en", ""),
                "email": owner.get("contact"),
                "role": "publisher",
                "organization": owner.get("organisation", {}).get("en"),
            }
        ],
        "resources": resources,
        "sector_datasets": {
            "sector": facts.sector_id,
            "grain": facts.grain,
            "coverage": facts.coverage,
            # The coverage the contract promises (geography, period, series); checked by the gate.
            "promise": meta.get("promise"),
            "update_frequency": facts.update_frequency,
            "version_folder": pub.folder.name,
            "row_count": pub.row_count,
            "checksum": meta.get("checksum"),
            "run_id": pub.run_id,
            "validation": pub.validation,
            "period_coverage": meta.get("period_coverage"),
            # The version's release note in full: diff summary, policy outcome, note, approval.
            "changes": meta.get("changes"),
        },
        "notes": release_notes(meta),
    }


def write_datapackage(settings: Settings, sector: Any, facts: DatasetFacts) -> Path | None:
    if facts.published is None:
        return None
    dataset_dir = layout.dataset_dir(settings.exports_dir, facts.sector_id, facts.dataset_id)
    package = build_datapackage(facts, dataset_dir, sector.name.model_dump(), sector.owner.model_dump())
    package = {k: v for k, v in package.items() if v is not None}
    custom = package["sector_datasets"]
    for key in ("period_coverage", "changes"):  # absent, not null, for versions without them
        if custom.get(key) is None:
            custom.pop(key, None)
    return atomic_write_json(layout.datapackage_file(settings.exports_dir, facts.sector_id, facts.dataset_id), package)

"""Open-data metadata next to the exports: a Frictionless Data Package per dataset and a DCAT-AP
catalog of all of them, generated from the registry, the published metadata (dbt docs) and the
expectation suites.

``exports/<sector>/<dataset>/datapackage.json``
    describes the *current* version by relative paths (``current/<dataset>.csv``,
    ``current/<dataset>.parquet``, ``current/metadata.json``), each with its size and SHA-256, so
    ``frictionless validate`` checks the very bytes it was generated from. The CSV is a tabular
    resource with a Table Schema: types from the published table, descriptions from dbt docs
    (English; ``description_vi`` Vietnamese), the registry's primary key, and constraints
    carried over from the Great Expectations suite where the two mean the same thing
    (not-null → ``required``, unique → ``unique``, between → ``minimum``/``maximum``, in-set →
    ``enum``, anchored regex → ``pattern``, lengths → ``minLength``/``maxLength``; never when the
    expectation has ``mostly`` or a ``row_condition``). Parquet and metadata.json are file resources (frictionless has
    no Parquet reader without extra packages; the tests check the Parquet schema with DuckDB).
    Version folders are read-only, so the package sits beside ``current``; it is regenerated at
    the end of every sector run, after the publish.

``exports/catalog.jsonld``
    a DCAT-AP 3 JSON-LD ``dcat:Catalog`` of every published dataset, with one
    ``dcat:Distribution`` per file. IRIs are relative to the catalog's own location, so the
    exports folder can be published under any base URL and harvested from there.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sector_datasets.registry import Registry
from sector_datasets.settings import Settings
from sector_datasets.state import layout
from sector_datasets.report._files import atomic_write_json, rel_url
from sector_datasets.report.facts import DatasetFacts, SectorFacts
from sector_datasets.report.licences import parse_licence
from sector_datasets.report.maturity_score import DatasetMaturity

PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

# ---------------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------------

_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
_NUMBER = {"DOUBLE", "FLOAT", "REAL"}


def table_schema_type(duckdb_type: str) -> dict[str, str]:
    """A DuckDB column type → Table Schema ``type`` (and ``format`` where DuckDB's CSV needs one)."""
    t = duckdb_type.strip().upper()
    base = t.split("(", 1)[0].strip()
    if t.endswith("]") or base in {"STRUCT", "MAP", "UNION", "LIST"}:
        return {"type": "any"}
    if base in _INTEGER:
        return {"type": "integer"}
    if base in _NUMBER or base in {"DECIMAL", "NUMERIC"}:
        return {"type": "number"}
    if base == "BOOLEAN":
        return {"type": "boolean"}
    if base == "DATE":
        return {"type": "date"}
    if base.startswith("TIMESTAMP"):
        return {"type": "datetime", "format": "any"}  # DuckDB writes "2024-01-01 00:00:00"
    if base.startswith("TIME"):
        return {"type": "time", "format": "any"}
    if base == "UUID":
        return {"type": "string", "format": "uuid"}
    return {"type": "string"}


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


def build_datapackage(facts: DatasetFacts, dataset_dir: Path, sector_name: dict, owner: dict) -> dict:
    """The Data Package descriptor of the dataset's current version (``facts.published``)."""
    pub = facts.published
    if pub is None:
        raise ValueError(f"dataset {facts.dataset_id!r} is not published")
    ds = facts.dataset_id
    previous = _previous_stats(dataset_dir / layout.DATAPACKAGE_NAME, pub.folder.name)
    fields = []
    for column in pub.columns:
        kind = table_schema_type(column.type)
        field: dict[str, Any] = {"name": column.name, **kind, "description": column.description}
        if column.description_vi:
            field["description_vi"] = column.description_vi
        if column.unit:
            field["unit"] = column.unit
        field["duckdb_type"] = column.type
        constraints = field_constraints(facts.suite, column.name, kind["type"])
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
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
            "description": f"{facts.title_en} — CSV, UTF-8, header row; one row per: {facts.grain}",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **_file_stats(csv, previous),
            "dialect": {"delimiter": ",", "header": True, "doubleQuote": True},
            "schema": {"fields": fields, "primaryKey": list(facts.primary_key), "missingValues": [""]},
        },
    ]
    if parquet.is_file():
        resources.append(
            {
                "name": f"{ds}-parquet",
                "path": rel_url(current / parquet.name, dataset_dir),
                "type": "file",
                "title": f"{facts.title_vi} (Parquet)",
                "description": "The same table as the CSV resource, in Apache Parquet (zstd); same columns and types.",
                "format": "parquet",
                "mediatype": PARQUET_MEDIATYPE,
                **_file_stats(parquet, previous),
            }
        )
    resources.append(
        {
            "name": f"{ds}-metadata",
            "path": rel_url(current / metadata.name, dataset_dir),
            "type": "file",
            "title": metadata.name,
            "description": "Data dictionary, licence, provenance, version and gate result of this version.",
            "format": "json",
            "mediatype": "application/json",
            **_file_stats(metadata, previous),
        }
    )
    return {
        "profile": "data-package",
        "name": ds,
        "title": facts.title_vi,
        "title_en": facts.title_en,
        "description": facts.description_vi,
        "description_en": facts.description_en,
        "version": str(pub.version),
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
            "update_frequency": facts.update_frequency,
            "version_folder": pub.folder.name,
            "row_count": pub.row_count,
            "checksum": meta.get("checksum"),
            "run_id": pub.run_id,
            "validation": pub.validation,
        },
    }


def write_datapackage(settings: Settings, sector: Any, facts: DatasetFacts) -> Path | None:
    if facts.published is None:
        return None
    dataset_dir = layout.dataset_dir(settings.exports_dir, facts.sector_id, facts.dataset_id)
    package = build_datapackage(facts, dataset_dir, sector.name.model_dump(), sector.owner.model_dump())
    package = {k: v for k, v in package.items() if v is not None}
    return atomic_write_json(layout.datapackage_file(settings.exports_dir, facts.sector_id, facts.dataset_id), package)


# ---------------------------------------------------------------------------------------------
# DCAT-AP catalog
# ---------------------------------------------------------------------------------------------

EU = "http://publications.europa.eu/resource/authority"
#: Sector id → EU data theme (https://op.europa.eu/en/web/eu-vocabularies/concept-scheme/-/resource?uri=http://publications.europa.eu/resource/authority/data-theme).
THEMES = {
    "agriculture": "AGRI",
    "health": "HEAL",
    "transport": "TRAN",
    "education": "EDUC",
    "culture_tourism": "EDUC",
    "environment": "ENVI",
    "industry": "ECON",
    "trade": "ECON",
    "labour_social": "SOCI",
    "reference": "REGI",
    "energy": "ENER",
    "justice": "JUST",
    "science_technology": "TECH",
    "government": "GOVE",
}
FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "yearly": "ANNUAL",
    "irregular": "IRREG",
    "static": "NEVER",
}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "spdx": "http://spdx.org/rdf/terms#",
    "dqv": "http://www.w3.org/ns/dqv#",
    "adms": "http://www.w3.org/ns/adms#",
}


def _text(vi: str, en: str) -> list[dict[str, str]]:
    return [{"@value": vi, "@language": "vi"}, {"@value": en, "@language": "en"}]


def _when(moment: datetime | None) -> dict[str, str] | None:
    return {"@value": moment.astimezone(UTC).isoformat(timespec="seconds"), "@type": "xsd:dateTime"} if moment else None


def _distribution(iri: str, title: str, fmt: str, media: str, path: Path, licence: dict, checksum: str | None, conforms: str | None) -> dict:
    dist: dict[str, Any] = {
        "@id": iri,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": iri},
        "dcat:downloadURL": {"@id": iri},
        "dct:format": {"@id": f"{EU}/file-type/{fmt}"},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
        "dct:license": licence,
    }
    if path.is_file():
        dist["dcat:byteSize"] = {"@value": str(path.stat().st_size), "@type": "xsd:nonNegativeInteger"}
    if checksum and checksum.startswith("sha256:"):
        dist["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@value": checksum.split(":", 1)[1], "@type": "xsd:hexBinary"},
        }
    if conforms:
        dist["dct:conformsTo"] = {"@id": conforms}
    return dist


def dcat_dataset(settings: Settings, sector: Any, facts: DatasetFacts, maturity: DatasetMaturity) -> dict:
    pub = facts.published
    assert pub is not None
    exports = settings.exports_dir
    base = rel_url(layout.dataset_dir(exports, facts.sector_id, facts.dataset_id), exports) + "/"
    lic = parse_licence(facts.licence)
    licence = {"@id": lic.url} if lic.url else {"@type": "dct:LicenseDocument", "rdfs:label": facts.licence}
    package_path = layout.datapackage_file(exports, facts.sector_id, facts.dataset_id)
    try:
        hashes = {Path(r["path"]).name: r.get("hash") for r in json.loads(package_path.read_text())["resources"]}
    except (OSError, ValueError, KeyError):
        hashes = {}
    package_iri = rel_url(package_path, exports)
    ds = facts.dataset_id
    page = layout.dataset_page(settings.reports_dir, facts.sector_id, ds)
    current = layout.current_link(exports, facts.sector_id, ds)
    csv, parquet = layout.csv_file(pub.folder, ds), layout.parquet_file(pub.folder, ds)
    first = facts.versions[0].published_at if facts.versions else pub.published_at
    owner = sector.owner
    dataset: dict[str, Any] = {
        "@id": base,
        "@type": "dcat:Dataset",
        "dct:identifier": ds,
        "dct:title": _text(facts.title_vi, facts.title_en),
        "dct:description": _text(facts.description_vi, facts.description_en),
        "dcat:keyword": _text(sector.name.vi, sector.name.en),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": _text(owner.organisation.vi, owner.organisation.en)},
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": owner.organisation.vi,
            "vcard:hasEmail": {"@id": f"mailto:{owner.contact}"},
        },
        "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/{FREQUENCIES.get(facts.update_frequency, 'UNKNOWN')}"},
        "dct:spatial": {"@id": f"{EU}/country/VNM"},
        "dct:language": [{"@id": f"{EU}/language/VIE"}, {"@id": f"{EU}/language/ENG"}],
        "dct:issued": _when(first),
        "dct:modified": _when(pub.published_at),
        "dcat:version": str(pub.version),
        "owl:versionInfo": str(pub.version),
        "dct:conformsTo": {"@id": package_iri},
        "dcat:landingPage": {"@id": rel_url(page, exports)},
        "dct:provenance": {
            "@type": "dct:ProvenanceStatement",
            "rdfs:label": "; ".join(f"{s.title} — {s.provenance}" for s in facts.sources)
            or "Built from published datasets: " + ", ".join(facts.inputs),
        },
        "dct:source": [{"@id": s.url} for s in facts.sources],
        "dqv:hasQualityMeasurement": [
            {
                "@type": "dqv:QualityMeasurement",
                "dqv:isMeasurementOf": {"@id": rel_url(layout.maturity_page(settings.reports_dir), exports) + "#level"},
                "dqv:value": {"@value": str(maturity.level), "@type": "xsd:integer"},
                "rdfs:label": f"Mức độ trưởng thành / maturity level {maturity.level}: {maturity.label_vi} / {maturity.label_en}",
            }
        ],
        "dcat:distribution": [
            _distribution(rel_url(current / csv.name, exports), "CSV", "CSV", "text/csv", csv, licence,
                          hashes.get(csv.name), package_iri),
            _distribution(rel_url(current / parquet.name, exports), "Parquet", "PARQUET", PARQUET_MEDIATYPE,
                          parquet, licence, hashes.get(parquet.name), None),
            _distribution(package_iri, "Frictionless Data Package (datapackage.json)", "JSON", "application/json",
                          package_path, licence, None, "https://specs.frictionlessdata.io/data-package/"),
        ],
    }
    theme = THEMES.get(facts.sector_id)
    if theme:
        dataset["dcat:theme"] = {"@id": f"{EU}/data-theme/{theme}"}
    if not dataset["dct:source"]:
        del dataset["dct:source"]
    return {k: v for k, v in dataset.items() if v is not None}


def build_catalog(settings: Settings, registry: Registry, facts: dict[str, SectorFacts], maturity: dict[str, DatasetMaturity]) -> dict:
    datasets = [
        dcat_dataset(settings, registry.sector(sid), f, maturity[f.dataset_id])
        for sid, sf in facts.items()
        for f in sf.datasets
        if f.published is not None
    ]
    modified = max((f.published.published_at for sf in facts.values() for f in sf.datasets
                    if f.published and f.published.published_at), default=None)
    return {
        "@context": CONTEXT,
        "@id": "",
        "@type": "dcat:Catalog",
        "dct:title": _text("Danh mục dữ liệu chuyên ngành (dữ liệu mở)", "Sector datasets catalogue (open data)"),
        "dct:description": _text(
            "Các bộ dữ liệu chuyên ngành đã được kiểm định chất lượng và công bố, theo từng lĩnh vực.",
            "Quality-gated curated datasets published per sector of Viet Nam's public data.",
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": _text("Nền tảng dữ liệu chuyên ngành", "sector-datasets platform")},
        "dct:language": [{"@id": f"{EU}/language/VIE"}, {"@id": f"{EU}/language/ENG"}],
        "dct:spatial": {"@id": f"{EU}/country/VNM"},
        "dct:modified": _when(modified),
        "foaf:homepage": {"@id": rel_url(layout.overview_page(settings.reports_dir), settings.exports_dir)},
        "dcat:themeTaxonomy": {"@id": f"{EU}/data-theme"},
        "dcat:dataset": datasets,
    }


def write_catalog(settings: Settings, registry: Registry, facts: dict[str, SectorFacts], maturity: dict[str, DatasetMaturity]) -> Path:
    catalog = build_catalog(settings, registry, facts, maturity)
    if catalog["dct:modified"] is None:
        del catalog["dct:modified"]
    return atomic_write_json(layout.catalog_jsonld_file(settings.exports_dir), catalog)


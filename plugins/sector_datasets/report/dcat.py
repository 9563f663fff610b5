"""The open-data catalog ``exports/catalog.jsonld``: a DCAT-AP 3 JSON-LD ``dcat:Catalog``.

One ``dcat:Dataset`` per published dataset with one ``dcat:Distribution`` per file (each dataset's
Frictionless Data Package is :mod:`.datapackage`). IRIs are relative to the catalog's own
location, so the exports folder can be published under any base URL and harvested from there.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sector_datasets.registry import Registry
from sector_datasets.settings import Settings
from sector_datasets.state import layout
from sector_datasets.report._files import atomic_write_json, rel_url
from sector_datasets.report.datapackage import PARQUET_MEDIATYPE, XLSX_MEDIATYPE
from sector_datasets.report.facts import DatasetFacts, SectorFacts
from sector_datasets.report.licences import parse_licence
from sector_datasets.report.maturity_score import DatasetMaturity

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


def _spatial(metadata: dict) -> dict:
    """The geography the contract promises (``promise.geography.text``) as a labelled location;
    a version published before contracts says only the country."""
    text = ((metadata.get("promise") or {}).get("geography") or {}).get("text")
    if not text:
        return {"@id": f"{EU}/country/VNM"}
    return {"@type": "dct:Location", "rdfs:label": text}


#: The xsd type of a period bound, by its shape: a year (2024), a month (2024-05), a date, a moment.
_PERIOD_TYPES = ((re.compile(r"^-?\d{4}$"), "xsd:gYear"), (re.compile(r"^\d{4}-\d{2}$"), "xsd:gYearMonth"),
                 (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "xsd:date"), (re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d"), "xsd:dateTime"))


def _period_bound(value: Any) -> dict[str, str] | None:
    text = str(value).strip() if value is not None else ""
    for pattern, kind in _PERIOD_TYPES:
        if pattern.match(text):
            return {"@value": text.replace(" ", "T", 1) if kind == "xsd:dateTime" else text, "@type": kind}
    return None


def _temporal(metadata: dict) -> dict | None:
    """The periods the published data actually holds (``period_coverage``) as a
    ``dct:PeriodOfTime`` with ``dcat:startDate``/``dcat:endDate`` (DCAT-AP 3: Period of Time;
    the range is a date, dateTime, gYear or gYearMonth literal — a year period is an xsd:gYear).
    Periods that are no calendar value (a quarter "2024-Q1") are given as a label only."""
    cov = metadata.get("period_coverage") or {}
    if cov.get("from") is None:
        return None
    start, end = _period_bound(cov.get("from")), _period_bound(cov.get("to"))
    period: dict[str, Any] = {"@type": "dct:PeriodOfTime",
                              "rdfs:label": f"{cov.get('column')}: {cov.get('from')} – {cov.get('to')}"}
    if start and end:
        period["dcat:startDate"], period["dcat:endDate"] = start, end
    return period


def _version_notes(metadata: dict) -> list[dict[str, str]] | None:
    """DCAT-AP 3.0.0 Dataset property "version notes" → ``adms:versionNotes`` (a description of
    the differences between this version and a previous one), beside "version" → ``dcat:version``
    (https://semiceu.github.io/DCAT-AP/releases/3.0.0/, Dataset; DCAT 3's versioning section
    likewise pairs dcat:version with adms:versionNotes "for a textual description of the changes")."""
    note = (metadata.get("changes") or {}).get("note") or {}
    return _text(note.get("vi") or "", note.get("en") or "") if note.get("vi") or note.get("en") else None


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
        "dct:spatial": _spatial(pub.metadata),
        "dct:language": [{"@id": f"{EU}/language/VIE"}, {"@id": f"{EU}/language/ENG"}],
        "dct:issued": _when(first),
        "dct:modified": _when(pub.published_at),  # when the served version was published
        "dcat:version": str(pub.version),
        "adms:versionNotes": _version_notes(pub.metadata),
        "dct:temporal": _temporal(pub.metadata),
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
            *[_distribution(rel_url(current / xlsx.name, exports), "Excel (XLSX)", "XLSX", XLSX_MEDIATYPE, xlsx, licence,
                            hashes.get(xlsx.name), None) for xlsx in [layout.xlsx_file(pub.folder, ds)] if xlsx.is_file()],
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

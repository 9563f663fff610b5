"""The open-data catalog ``exports/catalog.jsonld``: a DCAT-AP 3 JSON-LD ``dcat:Catalog``.

One ``dcat:Dataset`` per published dataset with one ``dcat:Distribution`` per file (each dataset's
Frictionless Data Package is :mod:`.datapackage`). IRIs are absolute, under
``Settings.public_base_url`` (``SECTOR_DATASETS_PUBLIC_BASE_URL``): ``exports/`` and ``reports/``
are published there, as the UI plugin serves them. Every IRI the catalog points at carries the
class DCAT-AP 3 expects of it (a language is a ``dct:LinguisticSystem``, a theme a
``skos:Concept`` with its label, ...), so the catalog validates against the DCAT-AP 3 shapes on
its own (``report/shacl/``, :mod:`.metadata_quality`).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sector_datasets.registry import Registry
from sector_datasets.settings import Settings
from sector_datasets.state import layout
from sector_datasets.report._files import atomic_write_json
from sector_datasets.report.datapackage import PARQUET_MEDIATYPE, XLSX_MEDIATYPE
from sector_datasets.report.facts import DatasetFacts, SectorFacts
from sector_datasets.report.licences import parse_licence
from sector_datasets.report.maturity_score import DatasetMaturity

# ---------------------------------------------------------------------------------------------
# DCAT-AP catalog
# ---------------------------------------------------------------------------------------------

EU = "http://publications.europa.eu/resource/authority"
#: Sector id → EU data theme (https://op.europa.eu/en/web/eu-vocabularies/concept-scheme/-/resource?uri=http://publications.europa.eu/resource/authority/data-theme).
#: A cross-sector dataset takes the themes of the sectors of its inputs (:func:`dataset_themes`).
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
#: The themes' preferred labels: English as the EU vocabulary gives them, Vietnamese ours.
THEME_LABELS = {
    "AGRI": ("Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm", "Agriculture, fisheries, forestry and food"),
    "ECON": ("Kinh tế và tài chính", "Economy and finance"),
    "EDUC": ("Giáo dục, văn hóa và thể thao", "Education, culture and sport"),
    "ENER": ("Năng lượng", "Energy"),
    "ENVI": ("Môi trường", "Environment"),
    "GOVE": ("Chính phủ và khu vực công", "Government and public sector"),
    "HEAL": ("Y tế", "Health"),
    "JUST": ("Tư pháp, hệ thống pháp luật và an toàn công cộng", "Justice, legal system and public safety"),
    "REGI": ("Vùng và đô thị", "Regions and cities"),
    "SOCI": ("Dân số và xã hội", "Population and society"),
    "TECH": ("Khoa học và công nghệ", "Science and technology"),
    "TRAN": ("Giao thông vận tải", "Transport"),
}
#: The schema every CSV and Parquet file is described by (its datapackage.json), and the
#: profile the datapackage.json itself follows.
TABLE_SCHEMA = ("https://specs.frictionlessdata.io/table-schema/", "Frictionless Table Schema")
DATA_PACKAGE = ("https://specs.frictionlessdata.io/data-package/", "Frictionless Data Package")
#: Exports are published for anyone to download (EU access-right vocabulary).
ACCESS_PUBLIC = f"{EU}/access-right/PUBLIC"
#: How long a distribution's URL is planned to stay (DCAT-AP 3 "availability"): ``current/``
#: always serves the newest approved version, so the URL stays while its content changes.
AVAILABILITY = f"{EU}/planned-availability/AVAILABLE"
#: The ministries that own the sectors are national authorities (ADMS publisher type).
NATIONAL_AUTHORITY = "http://purl.org/adms/publishertype/NationalAuthority"
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
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcatap": "http://data.europa.eu/r5r/",
}


def _text(vi: str, en: str) -> list[dict[str, str]]:
    return [{"@value": vi, "@language": "vi"}, {"@value": en, "@language": "en"}]


def _when(moment: datetime | None) -> dict[str, str] | None:
    return {"@value": moment.astimezone(UTC).isoformat(timespec="seconds"), "@type": "xsd:dateTime"} if moment else None


def public_iri(settings: Settings, path: Path) -> str:
    """The absolute IRI of a file under ``exports/`` or ``reports/`` where they are published."""
    for root, prefix in ((settings.exports_dir, "exports/"), (settings.reports_dir, "reports/")):
        try:
            rel = path.relative_to(root)
        except ValueError:
            continue
        return settings.public_base_url + prefix + quote(rel.as_posix())
    raise ValueError(f"{path} is neither under the exports folder {settings.exports_dir} nor the reports folder {settings.reports_dir}")


def published_file(settings: Settings, iri: str) -> Path | None:
    """The file a catalog IRI names (the inverse of :func:`public_iri`), if it exists."""
    from urllib.parse import unquote

    for root, prefix in ((settings.exports_dir, "exports/"), (settings.reports_dir, "reports/")):
        head = settings.public_base_url + prefix
        if iri.startswith(head):
            path = root / unquote(iri[len(head):].split("#", 1)[0])
            return path if path.is_file() else None
    return None


def _ref(iri: str, kind: str, **props: Any) -> dict:
    """A reference to ``iri`` that also states its class (and label), as DCAT-AP ranges ask."""
    return {"@id": iri, "@type": kind, **props}


def _standard(spec: tuple[str, str]) -> dict:
    return _ref(spec[0], "dct:Standard", **{"dct:title": spec[1]})


def licence_node(text: str) -> dict:
    """The distribution licence: the licence's own URI where the registry text is that licence
    (:attr:`.Licence.uri`); otherwise the registry's words, verbatim, so "not stated" or "verify"
    stays visible and is never upgraded to a licence it may not be."""
    lic = parse_licence(text)
    if lic.uri:
        return _ref(lic.uri, "dct:LicenseDocument", **{"rdfs:label": lic.identifier})
    return {"@type": "dct:LicenseDocument", "rdfs:label": text}


def dataset_themes(registry: Registry, sector_id: str, inputs: tuple[str, ...]) -> list[str]:
    """EU data themes of a dataset: its sector's, else (cross-sector) those of its inputs' sectors."""
    if sector_id in THEMES:
        return [THEMES[sector_id]]
    sectors = {registry.datasets[i][0].id for i in inputs if i in registry.datasets}
    return sorted({THEMES[s] for s in sectors if s in THEMES})


def _theme(code: str) -> dict:
    vi, en = THEME_LABELS[code]
    return _ref(f"{EU}/data-theme/{code}", "skos:Concept", **{"skos:prefLabel": _text(vi, en), "skos:inScheme": {"@id": f"{EU}/data-theme"}})


def _languages() -> list[dict]:
    return [_ref(f"{EU}/language/VIE", "dct:LinguisticSystem"), _ref(f"{EU}/language/ENG", "dct:LinguisticSystem")]


def _keywords(sector: Any, keywords: Any) -> list[dict[str, str]]:
    """The registry's keywords of the dataset, then its sector's name, each in both languages."""
    vi = list(keywords.vi) if keywords else []
    en = list(keywords.en) if keywords else []
    vi += [sector.name.vi] if sector.name.vi not in vi else []
    en += [sector.name.en] if sector.name.en not in en else []
    return [{"@value": w, "@language": "vi"} for w in vi] + [{"@value": w, "@language": "en"} for w in en]


def _agent(organisation: Any) -> dict:
    return {"@type": "foaf:Agent", "foaf:name": _text(organisation.vi, organisation.en),
            "dct:type": _ref(NATIONAL_AUTHORITY, "skos:Concept", **{"skos:prefLabel": {"@value": "National authority", "@language": "en"}})}


def _contact(owner: Any) -> dict:
    """The sector owner from the registry (``owner.contact``) as a vCard organisation."""
    return {"@type": ["vcard:Kind", "vcard:Organization"], "vcard:fn": owner.organisation.vi,
            "vcard:organization-name": _text(owner.organisation.vi, owner.organisation.en),
            "vcard:hasEmail": {"@id": f"mailto:{owner.contact}"}}


def rights_statement(licence: str, publishers: list[str]) -> dict:
    """What reuse of the files asks for: the registry's licence words and whom to credit."""
    credit = "; ".join(dict.fromkeys(publishers))
    return {"@type": "dct:RightsStatement",
            "rdfs:label": f"Licence: {licence}." + (f" Credit the sources: {credit}." if credit else "")}


def _distribution(iri: str, url: str, title: str, fmt: str, media: str, path: Path, licence: dict, checksum: str | None,
                  conforms: tuple[str, str], published: dict | None, rights: dict) -> dict:
    dist: dict[str, Any] = {
        "@id": iri,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dct:description": _text(f"Tệp {title} của phiên bản đang công bố.", f"The {title} file of the served version."),
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": _ref(f"{EU}/file-type/{fmt}", "dct:MediaTypeOrExtent"),
        "dcat:mediaType": _ref(f"https://www.iana.org/assignments/media-types/{media}", "dct:MediaType"),
        "dct:license": licence,
        "dct:rights": rights,
        "dct:conformsTo": _standard(conforms),
        "dcatap:availability": _ref(AVAILABILITY, "skos:Concept", **{"skos:prefLabel": {"@value": "Available", "@language": "en"}}),
    }
    if published:
        dist["dct:issued"] = dist["dct:modified"] = published
    if path.is_file():
        dist["dcat:byteSize"] = {"@value": str(path.stat().st_size), "@type": "xsd:nonNegativeInteger"}
    if checksum and checksum.startswith("sha256:"):
        dist["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@value": checksum.split(":", 1)[1], "@type": "xsd:hexBinary"},
        }
    return dist


def _spatial(metadata: dict) -> dict:
    """The geography the contract promises (``promise.geography.text``) as a labelled location;
    a version published before contracts says only the country."""
    text = ((metadata.get("promise") or {}).get("geography") or {}).get("text")
    if not text:
        return _ref(f"{EU}/country/VNM", "dct:Location")
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


def _temporal(metadata: dict, as_of: str | None = None) -> dict | None:
    """The periods the published data actually holds (``period_coverage``) as a
    ``dct:PeriodOfTime`` with ``dcat:startDate``/``dcat:endDate`` (DCAT-AP 3: Period of Time;
    the range is a date, dateTime, gYear or gYearMonth literal — a year period is an xsd:gYear).
    Periods that are no calendar value (a quarter "2024-Q1") are given as a label only.
    A snapshot without a period column gives the time it describes (registry ``as_of``)."""
    cov = metadata.get("period_coverage") or {}
    if cov.get("from") is None:
        bound = _period_bound(as_of)
        if bound is None:
            return None
        return {"@type": "dct:PeriodOfTime", "rdfs:label": f"as of {as_of}", "dcat:startDate": bound, "dcat:endDate": bound}
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


def dcat_dataset(settings: Settings, registry: Registry, sector: Any, facts: DatasetFacts, maturity: DatasetMaturity) -> dict:
    pub = facts.published
    assert pub is not None
    exports = settings.exports_dir
    ds = facts.dataset_id
    dataset_iri = public_iri(settings, layout.dataset_dir(exports, facts.sector_id, ds)) + "/"
    licence = licence_node(facts.licence)
    package_path = layout.datapackage_file(exports, facts.sector_id, ds)
    try:
        hashes = {Path(r["path"]).name: r.get("hash") for r in json.loads(package_path.read_text())["resources"]}
    except (OSError, ValueError, KeyError):
        hashes = {}
    page = layout.dataset_page(settings.reports_dir, facts.sector_id, ds)
    current = layout.current_link(exports, facts.sector_id, ds)
    csv, parquet = layout.csv_file(pub.folder, ds), layout.parquet_file(pub.folder, ds)
    first = facts.versions[0].published_at if facts.versions else pub.published_at
    owner = sector.owner
    served = _when(pub.published_at)
    _, registered = registry.dataset(ds)
    rights = rights_statement(facts.licence, [s.publisher for s in facts.sources])
    dataset: dict[str, Any] = {
        "@id": dataset_iri,
        "@type": "dcat:Dataset",
        "dct:identifier": ds,
        "dct:title": _text(facts.title_vi, facts.title_en),
        "dct:description": _text(facts.description_vi, facts.description_en),
        "dcat:keyword": _keywords(sector, registered.keywords),
        "dcat:theme": [_theme(code) for code in dataset_themes(registry, facts.sector_id, facts.inputs)] or None,
        "dct:publisher": _agent(owner.organisation),
        "dcat:contactPoint": _contact(owner),
        "dct:accrualPeriodicity": _ref(f"{EU}/frequency/{FREQUENCIES.get(facts.update_frequency, 'UNKNOWN')}", "dct:Frequency"),
        "dct:spatial": _spatial(pub.metadata),
        "dct:language": _languages(),
        "dct:accessRights": _ref(ACCESS_PUBLIC, "dct:RightsStatement", **{"rdfs:label": "Public"}),
        "dct:issued": _when(first),
        "dct:modified": served,  # when the served version was published
        "dcat:version": str(pub.version),
        "adms:versionNotes": _version_notes(pub.metadata),
        "dct:temporal": _temporal(pub.metadata, registered.as_of),
        "owl:versionInfo": str(pub.version),
        "dcat:landingPage": _ref(public_iri(settings, page), "foaf:Document"),
        "dct:provenance": {
            "@type": "dct:ProvenanceStatement",
            "rdfs:label": "; ".join(f"{s.title} — {s.provenance}" for s in facts.sources)
            or "Built from published datasets: " + ", ".join(facts.inputs),
        },
        # Upstream files and APIs are not DCAT datasets of this catalog: they are what it was
        # derived from (PROV-O). Inputs that are (cross-sector) are its dct:source.
        "prov:wasDerivedFrom": [{"@id": u} for s in facts.sources for u in (s.urls or (s.url,))] or None,
        "dct:source": [{"@id": public_iri(settings, layout.dataset_dir(exports, registry.datasets[i][0].id, i)) + "/"}
                       for i in facts.inputs if i in registry.datasets and i not in facts.unpublished_inputs] or None,
        "dqv:hasQualityMeasurement": [
            {
                "@type": "dqv:QualityMeasurement",
                "dqv:isMeasurementOf": {"@id": public_iri(settings, layout.maturity_page(settings.reports_dir)) + "#level"},
                "dqv:value": {"@value": str(maturity.level), "@type": "xsd:integer"},
                "rdfs:label": f"Mức độ trưởng thành / maturity level {maturity.level}: {maturity.label_vi} / {maturity.label_en}",
            }
        ],
        "dcat:distribution": [
            _distribution(dataset_iri + "#csv", public_iri(settings, current / csv.name), "CSV", "CSV", "text/csv", csv,
                          licence, hashes.get(csv.name), TABLE_SCHEMA, served, rights),
            _distribution(dataset_iri + "#parquet", public_iri(settings, current / parquet.name), "Parquet", "PARQUET",
                          PARQUET_MEDIATYPE, parquet, licence, hashes.get(parquet.name), TABLE_SCHEMA, served, rights),
            *[_distribution(dataset_iri + "#xlsx", public_iri(settings, current / xlsx.name), "Excel (XLSX)", "XLSX",
                            XLSX_MEDIATYPE, xlsx, licence, hashes.get(xlsx.name), TABLE_SCHEMA, served, rights)
              for xlsx in [layout.xlsx_file(pub.folder, ds)] if xlsx.is_file()],
            _distribution(dataset_iri + "#datapackage", public_iri(settings, package_path), "Frictionless Data Package (datapackage.json)",
                          "JSON", "application/json", package_path, licence, None, DATA_PACKAGE, served, rights),
        ],
    }
    return {k: v for k, v in dataset.items() if v is not None}


def build_catalog(settings: Settings, registry: Registry, facts: dict[str, SectorFacts], maturity: dict[str, DatasetMaturity]) -> dict:
    datasets = [
        dcat_dataset(settings, registry, registry.sector(sid), f, maturity[f.dataset_id])
        for sid, sf in facts.items()
        for f in sf.datasets
        if f.published is not None
    ]
    modified = max((f.published.published_at for sf in facts.values() for f in sf.datasets
                    if f.published and f.published.published_at), default=None)
    return {
        "@context": CONTEXT,
        "@id": public_iri(settings, layout.catalog_jsonld_file(settings.exports_dir)),
        "@type": "dcat:Catalog",
        "dct:title": _text("Danh mục dữ liệu chuyên ngành (dữ liệu mở)", "Sector datasets catalogue (open data)"),
        "dct:description": _text(
            "Các bộ dữ liệu chuyên ngành đã được kiểm định chất lượng và công bố, theo từng lĩnh vực.",
            "Quality-gated curated datasets published per sector of Viet Nam's public data.",
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": _text("Nền tảng dữ liệu chuyên ngành", "sector-datasets platform")},
        "dct:language": _languages(),
        "dct:spatial": _ref(f"{EU}/country/VNM", "dct:Location"),
        "dct:modified": _when(modified),
        "foaf:homepage": _ref(public_iri(settings, layout.overview_page(settings.reports_dir)), "foaf:Document"),
        "dcat:themeTaxonomy": _ref(f"{EU}/data-theme", "skos:ConceptScheme", **{"dct:title": {"@value": "Data theme", "@language": "en"}}),
        "dcat:dataset": datasets,
    }


def write_catalog(settings: Settings, registry: Registry, facts: dict[str, SectorFacts], maturity: dict[str, DatasetMaturity]) -> dict:
    """Write ``exports/catalog.jsonld``; returns the catalog written."""
    catalog = build_catalog(settings, registry, facts, maturity)
    if catalog["dct:modified"] is None:
        del catalog["dct:modified"]
    atomic_write_json(layout.catalog_jsonld_file(settings.exports_dir), catalog)
    return catalog

"""The DCAT catalog against the DCAT-AP 3 shapes, and the EU MQA metadata-quality score.

The SHACL tests validate the catalog the real report code writes for the sample platform (real
publish, real files); the MQA tests score small hand-built records (pure functions).
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest

from sector_datasets.registry import load_registry
from sector_datasets.report import dcat
from sector_datasets.report import metadata_quality as mq
from sector_datasets.report.scorecard import write_site
from sector_datasets.settings import get_settings
from sector_datasets.state import layout

EU = "http://publications.europa.eu/resource/authority"


# --- the catalog of a real build, against the DCAT-AP 3 shapes ------------------------------


@pytest.fixture(scope="module")
def built(sample):
    # The sample's sectors are fictional: give them EU themes as a real sector has.
    mp = pytest.MonkeyPatch()
    mp.setattr(dcat, "THEMES", {**dcat.THEMES, "demo": "ECON", "other": "SOCI"})
    site = write_site(sample.settings, sample.registry)
    catalog = json.loads(layout.catalog_jsonld_file(sample.settings.exports_dir).read_text())
    yield sample, site, catalog
    mp.undo()


def _accepted(line: str) -> bool:
    """A recommended property the catalog does not give, listed rather than hidden: the
    platform that publishes the catalog is no public body with an ADMS publisher type."""
    return "foaf:Agent" in line and "http://purl.org/dc/terms/type" in line


def _periodless(sample, catalog: dict) -> set[str]:
    """Datasets whose data holds no period (no period column, no registry ``as_of``): they
    cannot state a temporal coverage, which the shapes report as a warning."""
    out = set()
    for d in catalog["dcat:dataset"]:
        sector, dataset = sample.registry.dataset(d["dct:identifier"])
        meta = json.loads(layout.metadata_file(layout.current_link(sample.settings.exports_dir, sector.id, dataset.id)).read_text())
        if dataset.as_of is None and not (meta.get("period_coverage") or {}).get("from"):
            out.add(d["@id"])
    return out


def test_the_built_catalog_passes_the_dcat_ap_3_mandatory_and_recommended_shapes(built):
    sample, _, catalog = built
    result = mq.validate_catalog(catalog)
    assert result.violations == ()
    temporal = {w.split(" ", 1)[0] for w in result.warnings if " http://purl.org/dc/terms/temporal:" in w}
    assert temporal == _periodless(sample, catalog)
    others = [w for w in result.warnings if not _accepted(w) and " http://purl.org/dc/terms/temporal:" not in w]
    assert others == [], "\n".join(others)
    assert sum(map(_accepted, result.warnings)) == 1  # the catalog publisher's type


@pytest.mark.parametrize("break_it, expected", [
    (lambda c: c["dcat:dataset"][0].pop("dct:title"), "dct:title is mandatory"),
    (lambda c: c["dcat:dataset"][0]["dcat:distribution"][0].pop("dcat:accessURL"), "a distribution needs an access URL"),
    (lambda c: c["dcat:dataset"][0]["dcat:distribution"][0].update({"dcat:byteSize": {"@value": "12.5", "@type": "xsd:decimal"}}),
     "byte size is an xsd:nonNegativeInteger"),
    (lambda c: c["dcat:dataset"][0].update({"dct:issued": "last year"}), "a date must be a temporal literal"),
    (lambda c: c["dcat:dataset"][0].update({"dcat:theme": {"@id": f"{EU}/data-theme/TECH"}}), "a theme must be a skos:Concept"),
    (lambda c: c.pop("dct:publisher"), "a catalog needs a publisher"),
])
def test_a_broken_catalog_gives_violations(built, break_it, expected):
    _, _, catalog = built
    broken = copy.deepcopy(catalog)
    break_it(broken)
    assert mq.validate_catalog(broken).violations, expected


def test_a_dataset_without_recommended_properties_gives_warnings(built):
    _, _, catalog = built
    broken = copy.deepcopy(catalog)
    broken["dcat:dataset"] = [d for d in broken["dcat:dataset"] if d["dct:identifier"] == "demo_values"]
    for key in ("dcat:keyword", "dcat:theme", "dct:temporal", "dcat:contactPoint"):
        broken["dcat:dataset"][0].pop(key)
    warned = [w for w in mq.validate_catalog(broken).warnings if not _accepted(w)]
    assert {w.split(" ", 2)[1].rstrip(":") for w in warned} == {
        "http://www.w3.org/ns/dcat#keyword", "http://www.w3.org/ns/dcat#theme",
        "http://purl.org/dc/terms/temporal", "http://www.w3.org/ns/dcat#contactPoint"}


def test_catalog_iris_are_absolute_under_the_public_base_url_and_name_the_published_files(built):
    sample, _, catalog = built
    base = sample.settings.public_base_url
    assert catalog["@id"] == base + "exports/catalog.jsonld"
    for d in catalog["dcat:dataset"]:
        assert d["@id"].startswith(base + "exports/")
        for dist in d["dcat:distribution"]:
            assert dcat.published_file(sample.settings, dist["dcat:downloadURL"]["@id"]) is not None, dist["@id"]
        assert dcat.published_file(sample.settings, d["dcat:landingPage"]["@id"]) is not None


def test_temporal_keywords_themes_and_standards(built):
    _, _, catalog = built
    by_id = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    period = by_id["demo_values"]["dct:temporal"]
    assert period["@type"] == "dct:PeriodOfTime" and period["dcat:startDate"]["@type"] == "xsd:gYear"
    assert {k["@value"] for k in by_id["demo_values"]["dcat:keyword"]} == {"Lĩnh vực mẫu", "Demo sector"}  # no registry keywords: the sector name
    assert by_id["demo_values"]["dcat:theme"][0]["@id"] == f"{EU}/data-theme/ECON"
    conforms = {dist["dct:title"]: dist["dct:conformsTo"]["@id"] for dist in by_id["demo_values"]["dcat:distribution"]}
    assert conforms["CSV"] == "https://specs.frictionlessdata.io/table-schema/"
    assert all(not c.startswith(catalog["@id"].rsplit("/", 1)[0]) for c in conforms.values())  # never its own datapackage


def test_licences_are_uris_only_when_the_text_is_that_licence():
    assert dcat.licence_node("CC-BY-4.0") == {"@id": "https://creativecommons.org/licenses/by/4.0/",
                                              "@type": "dct:LicenseDocument", "rdfs:label": "CC-BY-4.0"}
    for text in ("No licence stated (AQI.in / WAQI terms apply; verify before redistribution)",
                 "CC-BY-4.0 (reported for the World Bank catalog entry; verify)",
                 "CC-BY-3.0-IGO (UNDP HDR) and CC-BY-4.0 (World Bank)",
                 "CC-BY-4.0 (inputs' licences apply; tourism inputs have no stated licence)"):
        assert dcat.licence_node(text) == {"@type": "dct:LicenseDocument", "rdfs:label": text}, text


def test_every_registry_dataset_has_keywords_in_both_languages_and_a_theme():
    registry = load_registry(get_settings().registry_dir)
    for sector in registry.sectors.values():
        for ds in sector.datasets:
            assert ds.keywords and ds.keywords.vi and ds.keywords.en, ds.id
            assert dcat.dataset_themes(registry, sector.id, tuple(ds.inputs)), ds.id


def test_cross_sector_datasets_take_the_themes_of_their_inputs():
    registry = load_registry(get_settings().registry_dir)
    assert dcat.dataset_themes(registry, "cross_sector", ("agri_rice_province", "environment_air_quality_stations")) == ["AGRI", "ENVI"]


# --- the score on the pages and in the JSON -----------------------------------------------


def test_the_scorecard_shows_each_published_dataset_s_score_rating_and_hints(built):
    sample, site, _ = built
    html = (sample.settings.reports_dir / "demo" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="metadata-quality"'):]
    section = section[: section.index("</section>")]
    demo = site.views["demo"]
    for d in demo.datasets:
        if d.metadata_quality is None:
            assert d.facts.published is None and f'data-dataset="{d.id}"' not in section
            continue
        assert f'data-dataset="{d.id}" data-mqa="{d.metadata_quality.score}"' in section
        assert f"{d.metadata_quality.score}/405" in section
    assert "Việc nên làm để tăng điểm" in section
    scorecard = json.loads((sample.settings.reports_dir / "demo" / "scorecard.json").read_text())
    entry = next(e for e in scorecard["datasets"] if e["id"] == "demo_values")
    assert entry["metadata_quality"]["max"] == 405 and entry["metadata_quality"]["score"] == demo.datasets[0].metadata_quality.score
    assert scorecard["metadata_quality"]["mean"] == round(demo.metadata_quality, 1)
    overview = (sample.settings.reports_dir / "index.html").read_text(encoding="utf-8")
    ranked = [v.id for v in sorted(site.views.values(), key=lambda v: (-(v.metadata_quality or 0), v.id)) if v.metadata_quality is not None]
    positions = [overview.index(f'data-sector="{sid}" data-mqa-rank=') for sid in ranked]
    assert positions == sorted(positions)


# --- MQA scoring on hand-built records (pure functions) --------------------------------------

FILES = {"https://x.example/exports/d/current/d.csv", "https://x.example/exports/d/current/d.parquet"}


def _dist(url: str, fmt: str, media: str, **extra) -> dict:
    return {"@type": "dcat:Distribution", "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
            "dct:format": {"@id": f"{EU}/file-type/{fmt}"}, "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
            "dct:license": {"@id": "https://creativecommons.org/licenses/by/4.0/", "@type": "dct:LicenseDocument"},
            "dcat:byteSize": {"@value": "10", "@type": "xsd:nonNegativeInteger"}, "dct:rights": {"rdfs:label": "open"}, **extra}


def full_record() -> dict:
    return {
        "dct:identifier": "d", "dcat:keyword": [{"@value": "lúa", "@language": "vi"}], "dcat:theme": [{"@id": f"{EU}/data-theme/AGRI"}],
        "dct:spatial": {"@id": f"{EU}/country/VNM"}, "dct:temporal": {"@type": "dct:PeriodOfTime"},
        "dct:accessRights": {"@id": f"{EU}/access-right/PUBLIC"}, "dcat:contactPoint": {"vcard:hasEmail": {"@id": "mailto:a@b.vn"}},
        "dct:publisher": {"foaf:name": "Bộ"}, "dct:issued": {"@value": "2024"}, "dct:modified": {"@value": "2025"},
        "dcat:distribution": [_dist("https://x.example/exports/d/current/d.csv", "CSV", "text/csv"),
                              _dist("https://x.example/exports/d/current/d.parquet", "PARQUET", "application/vnd.apache.parquet")],
    }


def score(record: dict, compliant: bool = True) -> mq.Assessment:
    return mq.assess(record, reachable=FILES.__contains__, compliant=compliant)


def points(a: mq.Assessment) -> dict[str, int]:
    return {i.id: i.points for i in a.indicators}


def test_the_dimensions_and_indicators_add_up_to_405():
    assert sum(top for _, top, *_ in mq.INDICATORS.values()) == mq.MAX_POINTS == 405
    tops = {}
    for dimension, top, *_ in mq.INDICATORS.values():
        tops[dimension] = tops.get(dimension, 0) + top
    assert tops == {"findability": 100, "accessibility": 100, "interoperability": 110, "reusability": 75, "contextuality": 20}


def test_a_complete_record_scores_full_marks_and_has_no_hints():
    a = score(full_record())
    assert (a.score, a.rating, a.top_hints()) == (405, "excellent", [])


def test_each_missing_property_costs_its_indicator_and_says_how_to_raise_it():
    record = full_record()
    for key in ("dcat:keyword", "dcat:theme", "dct:temporal", "dcat:contactPoint"):
        del record[key]
    a = score(record)
    assert a.score == 405 - 30 - 30 - 20 - 20
    assert [i.id for i in a.top_hints(2)] == ["keywords", "themes"]
    hints = {i.id: i for i in a.indicators}
    assert "từ khóa" in hints["keywords"].hint_vi.lower() and "keywords" in hints["keywords"].hint_en
    assert hints["publisher"].hint_vi == ""  # at its maximum: nothing to say


def test_distribution_indicators_score_the_share_of_distributions_that_meet_them():
    record = full_record()
    record["dcat:distribution"][1]["dcat:accessURL"] = {"@id": "https://x.example/exports/d/current/missing.parquet"}
    record["dcat:distribution"][1].pop("dcat:byteSize")
    record["dcat:distribution"][0]["dct:format"] = {"@id": "https://example.org/formats/DOCX"}
    p = points(score(record))
    assert (p["access_url"], p["byte_size"], p["format"], p["format_vocabulary"], p["non_proprietary"]) == (25, 2, 20, 5, 10)


def test_a_licence_not_stated_earns_nothing_and_one_to_verify_earns_no_vocabulary_points():
    record = full_record()
    for d in record["dcat:distribution"]:
        d["dct:license"] = {"@type": "dct:LicenseDocument", "rdfs:label": "No licence stated (verify before redistribution)"}
    assert (points(score(record))["licence"], points(score(record))["licence_vocabulary"]) == (0, 0)
    for d in record["dcat:distribution"]:
        d["dct:license"] = {"@type": "dct:LicenseDocument", "rdfs:label": "CC-BY-4.0 (reported for the catalog entry; verify)"}
    assert (points(score(record))["licence"], points(score(record))["licence_vocabulary"]) == (20, 0)


def test_non_compliance_costs_30_points():
    assert score(full_record()).score - score(full_record(), compliant=False).score == 30


@pytest.mark.parametrize("value, rating", [(405, "excellent"), (351, "excellent"), (350, "good"), (221, "good"),
                                           (220, "sufficient"), (121, "sufficient"), (120, "bad"), (0, "bad")])
def test_rating_bands_follow_the_mqa_thresholds(value, rating):
    assert mq.rating_of(value) == rating


def test_the_sector_average_is_the_mean_of_its_published_datasets():
    full, weaker = score(full_record()), score(full_record(), compliant=False)
    assert mq.sector_average([full, weaker]) == (405 + 375) / 2
    assert mq.sector_average([]) is None
    assert replace(full, indicators=()).score == 0

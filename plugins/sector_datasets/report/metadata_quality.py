"""Metadata quality of each published dataset, scored as data.europa.eu's Metadata Quality
Assessment (MQA) scores a harvested DCAT-AP record: five dimensions, 405 points.

=================  =====  ==========================================================================
dimension          max    indicators (points)
=================  =====  ==========================================================================
findability        100    keywords 30 · themes 30 · spatial coverage 20 · temporal coverage 20
accessibility      100    access URL reachable 50 · download URL given 20 · download URL reachable 30
interoperability   110    format 20 · media type 10 · format/media type from a vocabulary 10 ·
                          non-proprietary format 20 · machine-readable format 20 · DCAT-AP compliant 30
reusability         75    licence 20 · licence from a vocabulary 10 · access rights 10 · access rights
                          from a vocabulary 5 · contact point 20 · publisher 10
contextuality       20    rights 5 · byte size 5 · release date 5 · modification date 5
=================  =====  ==========================================================================

Rating: excellent 351–405, good 221–350, sufficient 121–220, bad 0–120. Distribution indicators
score the share of distributions that meet them, as the MQA does. Two adaptations, because the
record is scored where it is written rather than after a harvest: "reachable" means the URL
names a file that exists in the published folders (the MQA sends an HTTP request), and "DCAT-AP
compliant" is the DCAT-AP 3 SHACL validation of ``report/shacl/`` (:func:`validate_catalog`).

The scoring functions are pure: they read one dataset's DCAT record (the JSON-LD dict
:mod:`.dcat` writes) and take reachability and compliance as arguments.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sector_datasets.report.dcat import EU
from sector_datasets.report.licences import parse_licence

MAX_POINTS = 405
#: (lowest score, rating) from the best down.
RATINGS = ((351, "excellent"), (221, "good"), (121, "sufficient"), (0, "bad"))
RATING_LABELS = {"excellent": ("Xuất sắc", "Excellent"), "good": ("Tốt", "Good"),
                 "sufficient": ("Đạt", "Sufficient"), "bad": ("Kém", "Bad")}
DIMENSIONS = {
    "findability": ("Dễ tìm", "Findability"),
    "accessibility": ("Dễ truy cập", "Accessibility"),
    "interoperability": ("Khả năng liên thông", "Interoperability"),
    "reusability": ("Khả năng tái sử dụng", "Reusability"),
    "contextuality": ("Thông tin ngữ cảnh", "Contextuality"),
}
#: Formats of the EU file-type vocabulary the MQA counts as non-proprietary / machine-readable
#: (the subset this platform publishes; the MQA's own lists are longer).
NON_PROPRIETARY = {"CSV", "JSON", "PARQUET", "XML", "RDF_TURTLE", "JSON_LD", "GEOJSON", "ODS", "TSV"}
MACHINE_READABLE = {"CSV", "JSON", "PARQUET", "XML", "RDF_TURTLE", "JSON_LD", "GEOJSON", "ODS", "TSV", "XLSX"}
#: Licence IRIs that belong to a known licence vocabulary (MQA: "licence vocabulary").
LICENCE_VOCABULARIES = ("https://creativecommons.org/", "https://opendatacommons.org/", "https://opensource.org/",
                        "http://publications.europa.eu/resource/authority/licence/",
                        "https://www.nationalarchives.gov.uk/doc/open-government-licence/")
SHAPES_DIR = Path(__file__).parent / "shacl"


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    label_vi: str
    label_en: str
    points: int
    max: int
    hint_vi: str  # what would raise it (empty when it is at its maximum)
    hint_en: str

    @property
    def missing(self) -> int:
        return self.max - self.points


@dataclass(frozen=True)
class Assessment:
    dataset_id: str
    indicators: tuple[Indicator, ...]

    @property
    def score(self) -> int:
        return sum(i.points for i in self.indicators)

    @property
    def rating(self) -> str:
        return rating_of(self.score)

    @property
    def rating_vi(self) -> str:
        return RATING_LABELS[self.rating][0]

    @property
    def rating_en(self) -> str:
        return RATING_LABELS[self.rating][1]

    def dimension(self, name: str) -> tuple[int, int]:
        mine = [i for i in self.indicators if i.dimension == name]
        return sum(i.points for i in mine), sum(i.max for i in mine)

    def top_hints(self, n: int = 3) -> list[Indicator]:
        """The indicators that would raise the score most, largest gain first."""
        return sorted((i for i in self.indicators if i.missing), key=lambda i: (-i.missing, i.id))[:n]

    def as_json(self) -> dict:
        return {
            "score": self.score, "max": MAX_POINTS, "rating": self.rating,
            "dimensions": {d: dict(zip(("points", "max"), self.dimension(d))) for d in DIMENSIONS},
            "indicators": [{"id": i.id, "dimension": i.dimension, "points": i.points, "max": i.max,
                            "hint": {"vi": i.hint_vi, "en": i.hint_en} if i.missing else None} for i in self.indicators],
        }


def rating_of(score: float) -> str:
    return next(name for low, name in RATINGS if score >= low)


# --------------------------------------------------------------------------------------------
# Reading the JSON-LD record
# --------------------------------------------------------------------------------------------


def _values(record: dict, key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _iri(value: Any) -> str | None:
    return value.get("@id") if isinstance(value, dict) else None


def _has(record: dict, key: str) -> bool:
    return bool(_values(record, key))


def _share(distributions: list[dict], test: Callable[[dict], bool]) -> float:
    return sum(1 for d in distributions if test(d)) / len(distributions) if distributions else 0.0


def _licence_stated(dist: dict) -> bool:
    """A licence is given: a licence IRI, or words that name one — "No licence stated" is none."""
    lic = dist.get("dct:license")
    if not isinstance(lic, dict):
        return False
    return bool(_iri(lic)) or parse_licence(str(lic.get("rdfs:label") or "")).stated


def _format_code(dist: dict) -> str | None:
    iri = _iri(dist.get("dct:format"))
    return iri.rsplit("/", 1)[1] if iri and iri.startswith(f"{EU}/file-type/") else None


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------

# id → (dimension, max, label vi, label en, hint vi, hint en). The hints say what an owner or
# the platform team would change; they are shown only while the indicator is below its maximum.
INDICATORS: dict[str, tuple[str, int, str, str, str, str]] = {
    "keywords": ("findability", 30, "Từ khóa", "Keywords",
                 "Thêm từ khóa tiếng Việt và tiếng Anh cho bộ dữ liệu (mục keywords trong sổ đăng ký).",
                 "Add Vietnamese and English keywords (registry: keywords)."),
    "themes": ("findability", 30, "Chủ đề", "Themes",
               "Gán lĩnh vực của bộ dữ liệu vào một chủ đề dữ liệu của EU (bảng THEMES trong dcat.py).",
               "Map the dataset's sector to an EU data theme (dcat.THEMES)."),
    "spatial": ("findability", 20, "Phạm vi địa lý", "Spatial coverage",
                "Ghi phạm vi địa lý mà bộ dữ liệu cam kết (promise.geography trong sổ đăng ký).",
                "State the geography the dataset covers (registry: promise.geography)."),
    "temporal": ("findability", 20, "Khoảng thời gian", "Temporal coverage",
                 "Khai báo cột kỳ dữ liệu (promise.period) để danh mục ghi được dữ liệu từ năm nào đến năm nào.",
                 "Declare the period column (registry: promise.period) so the catalog states the years covered."),
    "access_url": ("accessibility", 50, "Đường dẫn truy cập hoạt động", "Access URL reachable",
                   "Công bố lại bộ dữ liệu: có tệp được khai báo nhưng không còn trong thư mục công bố.",
                   "Republish the dataset: a file the catalog lists is missing from the published folder."),
    "download_url": ("accessibility", 20, "Có đường dẫn tải về", "Download URL given",
                     "Ghi đường dẫn tải trực tiếp cho mọi tệp phân phối.", "Give every distribution a direct download URL."),
    "download_url_reachable": ("accessibility", 30, "Đường dẫn tải về hoạt động", "Download URL reachable",
                               "Công bố lại bộ dữ liệu: có đường dẫn tải về trỏ tới tệp không tồn tại.",
                               "Republish the dataset: a download URL points at a missing file."),
    "format": ("interoperability", 20, "Định dạng", "Format",
               "Ghi định dạng tệp cho mọi tệp phân phối.", "State the file format of every distribution."),
    "media_type": ("interoperability", 10, "Kiểu tệp (media type)", "Media type",
                   "Ghi kiểu tệp IANA cho mọi tệp phân phối.", "State the IANA media type of every distribution."),
    "format_vocabulary": ("interoperability", 10, "Định dạng theo danh mục chuẩn", "Format from a vocabulary",
                          "Dùng mã định dạng của danh mục EU và kiểu tệp IANA.",
                          "Use EU file-type codes and IANA media types."),
    "non_proprietary": ("interoperability", 20, "Định dạng mở", "Non-proprietary format",
                        "Cung cấp thêm tệp ở định dạng mở (CSV, JSON, Parquet).",
                        "Also publish an open format (CSV, JSON, Parquet)."),
    "machine_readable": ("interoperability", 20, "Máy đọc được", "Machine-readable format",
                         "Cung cấp thêm tệp máy đọc được (CSV, JSON, Parquet).",
                         "Also publish a machine-readable format (CSV, JSON, Parquet)."),
    "dcat_ap_compliance": ("interoperability", 30, "Tuân thủ DCAT-AP", "DCAT-AP compliance",
                           "Sửa các lỗi kiểm tra DCAT-AP 3 (SHACL) của bản ghi danh mục.",
                           "Fix the DCAT-AP 3 (SHACL) violations of the catalog record."),
    "licence": ("reusability", 20, "Giấy phép", "Licence",
                "Nguồn dữ liệu chưa nêu giấy phép: đề nghị đơn vị cung cấp xác nhận giấy phép, rồi ghi vào mục licence "
                "trong sổ đăng ký.",
                "The source states no licence: ask its provider to confirm one, then record it (registry: licence)."),
    "licence_vocabulary": ("reusability", 10, "Giấy phép được nhận diện", "Licence from a vocabulary",
                           "Xác minh giấy phép với nguồn dữ liệu rồi ghi đúng một giấy phép đã biết (ví dụ CC-BY-4.0) "
                           "trong mục licence, bỏ ghi chú 'verify'.",
                           "Verify the licence with the source and record exactly one known licence (e.g. CC-BY-4.0), "
                           "without a 'verify' note."),
    "access_rights": ("reusability", 10, "Quyền truy cập", "Access rights",
                      "Ghi quyền truy cập (công khai / hạn chế).", "State the access rights (public / restricted)."),
    "access_rights_vocabulary": ("reusability", 5, "Quyền truy cập theo danh mục chuẩn", "Access rights from a vocabulary",
                                 "Dùng danh mục quyền truy cập của EU.", "Use the EU access-right vocabulary."),
    "contact_point": ("reusability", 20, "Đầu mối liên hệ", "Contact point",
                      "Ghi thư điện tử của đơn vị chủ quản (owner.contact trong sổ đăng ký).",
                      "Give the owner's e-mail address (registry: owner.contact)."),
    "publisher": ("reusability", 10, "Đơn vị công bố", "Publisher",
                  "Ghi đơn vị chủ quản (owner.organisation trong sổ đăng ký).", "Name the owner (registry: owner.organisation)."),
    "rights": ("contextuality", 5, "Tuyên bố quyền", "Rights statement",
               "Thêm tuyên bố quyền sử dụng (ghi nguồn) cho các tệp tải về — việc của nhóm nền tảng.",
               "Add a rights statement (attribution) to the files — for the platform team."),
    "byte_size": ("contextuality", 5, "Dung lượng tệp", "File size",
                  "Công bố lại để danh mục ghi được dung lượng tệp.", "Republish so that the catalog records the file sizes."),
    "issued": ("contextuality", 5, "Ngày phát hành", "Release date",
               "Ghi ngày phát hành của bộ dữ liệu.", "State the release date."),
    "modified": ("contextuality", 5, "Ngày cập nhật", "Modification date",
                 "Ghi ngày cập nhật gần nhất.", "State the last modification date."),
}


def assess(record: dict, *, reachable: Callable[[str], bool], compliant: bool) -> Assessment:
    """Score one DCAT ``dcat:Dataset`` record (JSON-LD as :mod:`.dcat` writes it).

    ``reachable(url)`` says whether a URL names a published file; ``compliant`` whether the record
    passed the DCAT-AP 3 shapes.
    """
    dists = [d for d in _values(record, "dcat:distribution") if isinstance(d, dict)]

    def all_dates(key: str) -> bool:
        return _has(record, key) or bool(dists and all(_has(d, key) for d in dists))

    def email(contact: Any) -> bool:
        return isinstance(contact, dict) and any(str(_iri(e) or e).startswith("mailto:") for e in _values(contact, "vcard:hasEmail"))

    licences = [d.get("dct:license") for d in dists]
    rights = [_iri(r) for r in _values(record, "dct:accessRights")]
    shares: dict[str, float] = {
        "keywords": float(_has(record, "dcat:keyword")),
        "themes": float(_has(record, "dcat:theme")),
        "spatial": float(_has(record, "dct:spatial")),
        "temporal": float(_has(record, "dct:temporal")),
        "access_url": _share(dists, lambda d: any(reachable(_iri(u) or "") for u in _values(d, "dcat:accessURL"))),
        "download_url": _share(dists, lambda d: _has(d, "dcat:downloadURL")),
        "download_url_reachable": _share(dists, lambda d: any(reachable(_iri(u) or "") for u in _values(d, "dcat:downloadURL"))),
        "format": _share(dists, lambda d: _has(d, "dct:format")),
        "media_type": _share(dists, lambda d: _has(d, "dcat:mediaType")),
        "format_vocabulary": _share(dists, lambda d: _format_code(d) is not None and (_iri(d.get("dcat:mediaType")) or "")
                                    .startswith("https://www.iana.org/assignments/media-types/")),
        "non_proprietary": _share(dists, lambda d: _format_code(d) in NON_PROPRIETARY),
        "machine_readable": _share(dists, lambda d: _format_code(d) in MACHINE_READABLE),
        "dcat_ap_compliance": float(compliant),
        "licence": _share(dists, _licence_stated),
        "licence_vocabulary": sum(1 for lic in licences if (_iri(lic) or "").startswith(LICENCE_VOCABULARIES)) / len(dists) if dists else 0.0,
        "access_rights": float(bool(rights) or _has(record, "dct:accessRights")),
        "access_rights_vocabulary": float(any((r or "").startswith(f"{EU}/access-right/") for r in rights)),
        "contact_point": float(any(email(c) for c in _values(record, "dcat:contactPoint"))),
        "publisher": float(_has(record, "dct:publisher")),
        "rights": _share(dists, lambda d: _has(d, "dct:rights")),
        "byte_size": _share(dists, lambda d: _has(d, "dcat:byteSize")),
        "issued": float(all_dates("dct:issued")),
        "modified": float(all_dates("dct:modified")),
    }
    indicators = []
    for key, (dimension, top, label_vi, label_en, hint_vi, hint_en) in INDICATORS.items():
        points = round(top * shares[key])
        indicators.append(Indicator(key, dimension, label_vi, label_en, points, top,
                                    hint_vi if points < top else "", hint_en if points < top else ""))
    return Assessment(str(record.get("dct:identifier") or record.get("@id") or ""), tuple(indicators))


def sector_average(assessments: Iterable[Assessment]) -> float | None:
    """The mean score of a sector's published datasets (None when it has none)."""
    scores = [a.score for a in assessments]
    return sum(scores) / len(scores) if scores else None


# --------------------------------------------------------------------------------------------
# DCAT-AP 3 SHACL validation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShaclResult:
    violations: tuple[str, ...]  # one line per result: focus node, path, message
    warnings: tuple[str, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations


def shapes_graph(names: Iterable[str] = ("dcat-ap-3-mandatory.ttl", "dcat-ap-3-recommended.ttl")) -> Any:
    from rdflib import Graph

    shapes = Graph()
    for name in names:
        shapes.parse(SHAPES_DIR / name, format="turtle")
    return shapes


def validate_catalog(catalog: dict, shapes: Any = None) -> ShaclResult:
    """Validate a JSON-LD catalog (dict) against the DCAT-AP 3 shapes with pyshacl."""
    from pyshacl import validate
    from rdflib import Graph, Namespace

    data = Graph().parse(data=json.dumps(catalog), format="json-ld")
    _, report, _ = validate(data, shacl_graph=shapes if shapes is not None else shapes_graph(), inference="none", allow_warnings=True)
    sh = Namespace("http://www.w3.org/ns/shacl#")
    found: dict[str, list[str]] = {"Violation": [], "Warning": [], "Info": []}
    for result in report.subjects(sh.resultSeverity, None):
        severity = str(report.value(result, sh.resultSeverity)).rsplit("#", 1)[1]
        line = f"{report.value(result, sh.focusNode)} {report.value(result, sh.resultPath)}: {report.value(result, sh.resultMessage)}"
        found.setdefault(severity, []).append(line)
    return ShaclResult(tuple(sorted(found["Violation"])), tuple(sorted(found["Warning"])))


def catalog_assessments(catalog: dict, reachable: Callable[[str], bool]) -> dict[str, Assessment]:
    """Every dataset of the catalog, assessed; compliance from one validation of the catalog,
    and per dataset only when the catalog as a whole has violations (to tell which)."""
    datasets = [d for d in catalog.get("dcat:dataset") or [] if isinstance(d, dict)]
    shapes = shapes_graph()
    whole = validate_catalog(catalog, shapes)
    out = {}
    for record in datasets:
        ok = whole.conforms or validate_catalog({"@context": catalog.get("@context"), "@graph": [record]}, shapes).conforms
        out[str(record.get("dct:identifier"))] = assess(record, reachable=reachable, compliant=ok)
    return out

"""Data maturity criteria: what each level asks of a dataset (documented in docs/maturity.md).

Each criterion is a row of :data:`CRITERIA` (data, not prose): an id, the level it belongs to, a
Vietnamese/English title and rule, and a check over :class:`~.facts.DatasetFacts`.

=====  ==============================  ==========================================================
level  criterion (id)                  met when
=====  ==============================  ==========================================================
1      machine_readable_export         the current version has ``<dataset>.csv``,
                                       ``<dataset>.parquet`` and ``metadata.json``
1      open_licence                    the licence is open (CC0, PDDL, ODC-BY, ODbL, CC-BY,
                                       CC-BY-SA, OGL, MIT, public domain) and the registry does
                                       not flag it "verify" / "not stated"
1      no_unprotected_personal_data    no column tagged ``personal_data.pii`` is published in clear
                                       (``pii_handling: hash`` publishes a salted SHA-256: allowed),
                                       and every column whose name looks personal (email, phone,
                                       CCCD/CMND, date of birth, full name, candidate number …) is
                                       tagged ``pii`` or ``quasi`` in the registry
2      complete_data_dictionary        every published column has an English and a Vietnamese
                                       description, and every primary-key column is published
2      provenance                      every source has a URL, publisher, licence and provenance;
                                       every input dataset (cross-sector) is itself published
3      quality_gated                   the suite has ≥ ``MIN_EXPECTATIONS`` expectations, the
                                       latest gate run passed having evaluated at least that
                                       many, and the published version passed its gate
3      fresh                           the published data was confirmed against its source
                                       within ``STALE_FACTOR`` × its declared update period
                                       (daily 1, weekly 7, monthly 31, quarterly 92, yearly 366,
                                       irregular 366 days), and its newest period ended at most
                                       (1 + ``STALE_FACTOR``) × that period ago; ``static`` data
                                       never goes stale
4      usage_scenarios_run             at least one usage scenario uses the dataset and every such
                                       scenario runs on the published files with a checked result
=====  ==============================  ==========================================================

The levels, a dataset's and a sector's, are computed from these rows in
:mod:`~.maturity_score`; freshness in :mod:`~.freshness`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sector_datasets.report.facts import DatasetFacts
from sector_datasets.report.formatting import fmt_number
from sector_datasets.report.freshness import STALE_FACTOR, freshness_of
from sector_datasets.report.licences import parse_licence

MIN_EXPECTATIONS = 8

#: The registry's ``update_frequency`` values as the pages say them.
FREQUENCY_VI = {
    "daily": "hằng ngày", "weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý",
    "yearly": "hằng năm", "irregular": "không định kỳ", "static": "tĩnh",
}

#: Column names that suggest data about a person; they must be tagged in the registry.
PERSONAL_NAME = re.compile(
    r"(^|_)(e_?mail|phone(_number)?|mobile|so_dien_thoai|sdt|cccd|cmnd|national_id|id_card|passport|"
    r"ho_chieu|date_of_birth|birth_?date|dob|ngay_sinh|ho_ten|ho_va_ten|full_name|person_name|first_name|"
    r"last_name|home_address|dia_chi_nha|so_bao_danh|sbd|candidate_(id|number)|student_id|patient_id)($|_)"
)


#: Who can meet a criterion: the sector owner (registry ``owner``), the platform's data
#: engineer, or the publisher of the dataset's source (registry ``sources[].publisher``).
WHO = ("owner", "engineer", "publisher")


@dataclass(frozen=True)
class Check:
    met: bool
    detail: str
    # What to do when unmet, when it differs from the criterion's default (e.g. a failed gate is
    # the source's to fix, a too-small suite the engineer's).
    todo_vi: str | None = None
    todo_en: str | None = None
    who: str | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    level: int
    title_vi: str
    title_en: str
    rule_vi: str
    rule_en: str
    check: Callable[[DatasetFacts, datetime], Check]
    todo_vi: str = ""  # the next step when unmet, in words an owner can act on
    todo_en: str = ""
    who: str = "owner"  # one of WHO



def _names(items) -> str:
    items = list(items)
    return ", ".join(items[:6]) + (f" … (+{len(items) - 6})" if len(items) > 6 else "")


def check_machine_readable_export(f: DatasetFacts, now: datetime) -> Check:
    if f.published is None:
        return Check(False, "chưa công bố", todo_vi="Chạy quy trình của lĩnh vực để công bố bộ dữ liệu lần đầu.",
                     todo_en="Run the sector's pipeline to publish the dataset for the first time.", who="engineer")
    missing = [kind for kind, present in f.published.files.items() if not present]
    if missing:
        return Check(False, f"thiếu tệp: {_names(missing)}")
    return Check(True, f"CSV, Parquet, metadata.json (v{f.published.version})")


def check_open_licence(f: DatasetFacts, now: datetime) -> Check:
    lic = parse_licence(f.licence)
    if not lic.open:
        why = "giấy phép không mở" if lic.identifier else "giấy phép không rõ"
        return Check(False, f"{why}: {f.licence}")
    if not lic.confirmed:
        return Check(False, f"cần xác minh giấy phép: {f.licence}")
    return Check(True, lic.identifier or f.licence)


def check_no_unprotected_personal_data(f: DatasetFacts, now: datetime) -> Check:
    published = [c.name for c in f.published.columns] if f.published else []
    exposed = [c for c in published if c in set(f.pii_columns)]
    if exposed and f.pii_handling != "hash":
        return Check(False, f"cột dữ liệu cá nhân công bố dạng rõ: {_names(exposed)}")
    tagged = set(f.pii_columns) | set(f.quasi_columns)
    undeclared = [c for c in published if PERSONAL_NAME.search(c.lower()) and c not in tagged]
    if undeclared:
        return Check(
            False,
            f"cột có thể chứa dữ liệu cá nhân chưa được khai báo trong sổ đăng ký:"
            f" {_names(undeclared)}",
        )
    notes = []
    if exposed:
        notes.append(f"pii băm SHA-256 có muối: {_names(exposed)}")
    if f.quasi_columns:
        notes.append(f"định danh gián tiếp đã khai báo: {_names(f.quasi_columns)}")
    return Check(True, "; ".join(notes) or "không có")


def check_complete_data_dictionary(f: DatasetFacts, now: datetime) -> Check:
    if f.published is None or not f.published.columns:
        return Check(False, "chưa có từ điển dữ liệu")
    no_en = [c.name for c in f.published.columns if not c.description]
    no_vi = [c.name for c in f.published.columns if not c.description_vi]
    names = {c.name for c in f.published.columns}
    no_pk = [k for k in f.primary_key if k not in names]
    problems = []
    if no_en:
        problems.append(f"thiếu mô tả tiếng Anh: {_names(no_en)}")
    if no_vi:
        problems.append(f"thiếu mô tả tiếng Việt: {_names(no_vi)}")
    if no_pk:
        problems.append(f"khoá chính không có trong dữ liệu: {_names(no_pk)}")
    if problems:
        return Check(False, "; ".join(problems))
    return Check(True, f"{len(names)} cột có mô tả (tiếng Việt và tiếng Anh)")


def check_provenance(f: DatasetFacts, now: datetime) -> Check:
    if not f.sources and not f.inputs:
        return Check(False, "không khai báo nguồn")
    incomplete = [
        s.id for s in f.sources
        if not (s.url.strip() and s.publisher.strip() and s.licence.strip() and s.provenance.strip())
    ]
    if incomplete:
        return Check(False, f"nguồn thiếu URL/đơn vị/giấy phép/xuất xứ: {_names(incomplete)}")
    if f.unpublished_inputs:
        return Check(False, f"dữ liệu đầu vào chưa công bố: {_names(f.unpublished_inputs)}")
    parts = []
    if f.sources:
        parts.append(f"{len(f.sources)} nguồn")
    if f.inputs:
        parts.append(f"{len(f.inputs)} bộ đầu vào")
    return Check(True, ", ".join(parts))


def check_quality_gated(f: DatasetFacts, now: datetime) -> Check:
    size = f.suite_size
    more_rules = dict(
        todo_vi=f"Bổ sung quy tắc kiểm tra cho bộ dữ liệu (cần ít nhất {MIN_EXPECTATIONS}).",
        todo_en=f"Add validation rules (at least {MIN_EXPECTATIONS}).", who="engineer",
    )
    if size is None:
        return Check(False, f"không có bộ quy tắc kiểm tra (expectations/{f.suite_name}.json)", **more_rules)
    if size < MIN_EXPECTATIONS:
        return Check(False, f"bộ quy tắc chỉ có {size} < {MIN_EXPECTATIONS} quy tắc kiểm tra", **more_rules)
    latest = f.latest_gate
    if latest is None:
        return Check(False, "chưa chạy kiểm định", todo_vi="Chạy quy trình của lĩnh vực để kiểm định bộ dữ liệu.",
                     todo_en="Run the sector's pipeline so the gate checks the dataset.", who="engineer")
    passed = latest.evaluated - latest.failed
    if not latest.success:
        if latest.error:
            return Check(False, f"lần kiểm định gần nhất không chạy được ({latest.run_id})",
                         todo_vi="Xem lỗi kiểm định bên dưới và chạy lại quy trình.",
                         todo_en="See the gate error below and re-run the pipeline.", who="engineer")
        return Check(False, f"lần kiểm định gần nhất không đạt: {passed}/{latest.evaluated} quy tắc kiểm tra đạt ({latest.run_id})",
                     todo_vi="Sửa các dòng dữ liệu sai ở nguồn (xem phần lỗi kiểm định bên dưới).",
                     todo_en="Correct the failing rows at the source (see the gate failures below).", who="publisher")
    if latest.evaluated < MIN_EXPECTATIONS:
        return Check(False, f"chỉ đánh giá {latest.evaluated} quy tắc kiểm tra", **more_rules)
    if f.published is None or not f.published.validation.get("success"):
        return Check(False, "phiên bản công bố chưa qua kiểm định",
                     todo_vi="Chạy lại quy trình để công bố một phiên bản đã qua kiểm định.",
                     todo_en="Re-run the pipeline to publish a gated version.", who="engineer")
    # The gate evaluates the suite plus automatic checks (personal data, upstream keys), so the
    # count is passed-of-evaluated, never of the suite's size (that once read "17/16").
    extra = latest.evaluated - size
    added = f" (bộ quy tắc {size} + {extra} kiểm tra tự động)" if extra > 0 else ""
    return Check(True, f"{passed}/{latest.evaluated} quy tắc kiểm tra đạt{added}")


def check_fresh(f: DatasetFacts, now: datetime) -> Check:
    fresh = freshness_of(f, now)
    if fresh.status == "never":
        return Check(False, "chưa công bố", todo_vi="Chạy quy trình để công bố bộ dữ liệu.",
                     todo_en="Run the pipeline to publish the dataset.", who="engineer")
    if fresh.status == "static":
        return Check(True, "dữ liệu tĩnh, không cần cập nhật")
    every = FREQUENCY_VI.get(f.update_frequency, f.update_frequency)
    fetch = (f"đối chiếu nguồn {fmt_number(fresh.age_days, 1)} ngày trước, hạn {fmt_number(fresh.max_age_days, 0)} ngày "
             f"(chu kỳ: {every})")
    if fresh.status == "outdated":
        return Check(
            False, f"dữ liệu chỉ đến {fresh.period.text_vi}, đã cũ so với chu kỳ {every}; {fetch}",
            todo_vi=f"Đề nghị đơn vị cung cấp công bố số liệu mới hơn {fresh.period.text_vi}, rồi chạy lại quy trình.",
            todo_en=f"Ask the source publisher for data after {fresh.period.text_en}, then re-run the pipeline.",
            who="publisher",
        )
    if fresh.status == "stale":
        return Check(False, f"quá hạn (stale): {fetch}")
    until = f"dữ liệu đến {fresh.period.text_vi}; " if fresh.period else ""
    return Check(True, until + fetch)


def check_usage_scenarios_run(f: DatasetFacts, now: datetime) -> Check:
    if not f.scenarios:
        return Check(False, "chưa có kịch bản khai thác")
    failed = [s.scenario_id for s in f.scenarios if not s.ok]
    if failed:
        return Check(False, f"kịch bản lỗi: {_names(failed)}")
    return Check(True, f"{len(f.scenarios)} kịch bản chạy được")


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "machine_readable_export", 1, "Định dạng máy đọc được", "Machine-readable export",
        "Phiên bản hiện hành có CSV, Parquet và metadata.json.",
        "The current version has CSV, Parquet and metadata.json.",
        check_machine_readable_export,
        "Chạy lại quy trình để công bố đủ CSV, Parquet và metadata.json.", "Re-run the pipeline to publish CSV, Parquet and metadata.json.", "engineer",
    ),
    Criterion(
        "open_licence", 1, "Giấy phép mở", "Open licence",
        "Giấy phép mở (CC0, PDDL, ODC-BY, ODbL, CC-BY, CC-BY-SA, OGL, MIT, phạm vi công cộng) và không bị đánh dấu cần xác minh.",
        "An open licence (CC0, PDDL, ODC-BY, ODbL, CC-BY, CC-BY-SA, OGL, MIT, public domain) not flagged 'verify' or 'not stated'.",
        check_open_licence,
        "Xác minh giấy phép với đơn vị cung cấp nguồn và ghi giấy phép mở đã xác minh vào sổ đăng ký.", "Verify the licence with the source publisher and record the confirmed open licence in the registry.", "owner",
    ),
    Criterion(
        "no_unprotected_personal_data", 1, "Không lộ dữ liệu cá nhân", "No unprotected personal data",
        "Không công bố dạng rõ cột gắn nhãn pii (được băm SHA-256 có muối thì đạt); mọi cột có tên giống dữ liệu cá nhân đều được khai báo pii/quasi.",
        "No column tagged pii is published in clear (a salted SHA-256 is fine); every column whose name looks personal is tagged pii or quasi.",
        check_no_unprotected_personal_data,
        "Khai báo các cột dữ liệu cá nhân (pii/quasi) trong sổ đăng ký, hoặc bỏ/băm các cột đó.", "Tag the personal columns (pii/quasi) in the registry, or drop/hash them.", "owner",
    ),
    Criterion(
        "complete_data_dictionary", 2, "Từ điển dữ liệu đầy đủ", "Complete data dictionary",
        "Mọi cột có mô tả tiếng Việt và tiếng Anh; mọi cột khoá chính đều được công bố.",
        "Every column has a Vietnamese and an English description; every primary-key column is published.",
        check_complete_data_dictionary,
        "Bổ sung mô tả tiếng Việt và tiếng Anh cho các cột còn thiếu trong sổ đăng ký.", "Add the missing Vietnamese and English column descriptions to the registry.", "owner",
    ),
    Criterion(
        "provenance", 2, "Nguồn gốc rõ ràng", "Provenance",
        "Mọi nguồn có URL, đơn vị công bố, giấy phép và xuất xứ; mọi bộ dữ liệu đầu vào đã được công bố.",
        "Every source has a URL, publisher, licence and provenance; every input dataset is published.",
        check_provenance,
        "Bổ sung URL, đơn vị công bố, giấy phép và xuất xứ của nguồn trong sổ đăng ký.", "Complete the source's URL, publisher, licence and provenance in the registry.", "owner",
    ),
    Criterion(
        "quality_gated", 3, f"Kiểm định ≥ {MIN_EXPECTATIONS} quy tắc", f"Gated by ≥ {MIN_EXPECTATIONS} rules",
        f"Bộ quy tắc kiểm tra có ≥ {MIN_EXPECTATIONS} quy tắc, lần kiểm định gần nhất đạt và phiên bản công bố đã qua kiểm định.",
        f"The suite has ≥ {MIN_EXPECTATIONS} validation rules (GX expectations), the latest gate passed and the published version was gated.",
        check_quality_gated,
        "Sửa các dòng dữ liệu sai ở nguồn (xem phần lỗi kiểm định).", "Correct the failing rows at the source (see the gate failures).", "publisher",
    ),
    Criterion(
        "fresh", 3, "Cập nhật đúng hạn", "Fresh",
        f"Được đối chiếu với nguồn trong vòng {STALE_FACTOR} × chu kỳ cập nhật đã khai báo, và kỳ mới nhất của dữ liệu "
        f"kết thúc chưa quá {1 + STALE_FACTOR} × chu kỳ (dữ liệu tĩnh luôn đạt).",
        f"Confirmed against its source within {STALE_FACTOR} × its declared update period, and the data's newest period "
        f"ended at most {1 + STALE_FACTOR} × that period ago (static data always passes).",
        check_fresh,
        "Chạy lại việc lấy dữ liệu từ nguồn để đối chiếu.", "Re-run the fetch to confirm the data against its source.", "engineer",
    ),
    Criterion(
        "usage_scenarios_run", 4, "Kịch bản khai thác chạy được", "Usage scenarios run",
        "Ít nhất một kịch bản khai thác dùng bộ dữ liệu và mọi kịch bản đó chạy được trên tệp đã công bố.",
        "At least one usage scenario uses the dataset and every such scenario runs on the published files.",
        check_usage_scenarios_run,
        "Viết ít nhất một kịch bản khai thác (câu hỏi nghiệp vụ) dùng bộ dữ liệu này.", "Write at least one usage scenario (a business question) that uses this dataset.", "owner",
    ),
)



"""Fault and bad-input catalogue, environment sector (issue 5): the faults transport cannot carry.

Transport has no World Bank JSON source, no year column, no Vietnamese province names and no
province dimension, so these rows run on environment, the one sector that has all of them (World
Bank API v2 sources with paging, the OWID/OECD/AirNow series with years and amounts, and the
AQI.in stations resolved against the province dimension built from the reference sources). Same
method as the transport catalogue: last good version built once in a private home, one fault per
case (HTTP scripted on the fault server; payload = SYNTHETIC MODIFICATIONS OF REAL FILES in a
private snapshot copy), then (a) message, (b) last good version intact, (c) clean rerun.

Order: good build → World Bank HTTP faults (each its own run, stopped at extract) → one run with
five payload faults in five independent lineages → final run whose only irregularity is the NFD
province list (absorbed by the reference staging's NFC normalisation): the rerun (c) of all.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import unicodedata

import pytest

from tests.faults.campaign import Campaign, campaign_platform, classify
from tests.faults.faultlib import Body, Case, Paged, case_params, check_observed, modified

pytestmark = pytest.mark.slow  # the environment fault campaign: ≈1.5 min

SECTOR = "environment"
WB_ERROR_BODY = "environment/worldbank_api_v2/wb_co2_emissions.json"  # a REAL recorded API error body

STATIONS, GHG, NATIONAL = "environment_air_quality_stations", "environment_ghg_emissions", "environment_national_indicators"
PM25, CLIMATE = "environment_pm25_hanoi_hourly", "environment_climate_finance"

CASES: list[Case] = [
    Case("wb_truncated_json", "http", "World Bank JSON cut after half its bytes (consistent Content-Length)",
         "real wb_forest.json, truncated", "fails", "wb_forest_area_vnm",
         ("sector=environment", "source=wb_forest_area_vnm", "invalid JSON", "Unterminated string")),
    Case("wb_api_error_body", "http", "the World Bank API's error message served with status 200 instead of [meta, records]",
         "real recorded error body (wb_co2_emissions.json) served on another indicator's URL", "fails", "wb_energy_use_vnm",
         ("sector=environment", "source=wb_energy_use_vnm", "World Bank API error body", "id=175", "indicator was not found")),
    Case("wb_paging_total_changes", "http", "paged response whose total changes between page 1 and page 2",
         "real wb_renewable_energy.json re-cut into 2 pages, page 2 says total+1", "fails", "wb_renewable_share_vnm",
         ("sector=environment", "source=wb_renewable_share_vnm", "paging changed between pages", "total=65", "total=66")),
    Case("province_not_in_dimension", "payload", "a station's province label 'TP.Hà Nội' replaced by 'Hà Tây' (abolished 2008)",
         "synthetic: real unified_stations_metadata.csv, one cell edited", "quarantined", "aqi_in_stations_vn",
         ("sector 'environment'", f"dataset '{STATIONS}'", "did not build", "Hà Tây", "resolves neither"),
         group="a", hits=(STATIONS,)),
    Case("year_in_the_future", "payload", "the last year of the CAIT series (2018) written as 2031",
         "synthetic: real owid_ghg_by_sector_cait2021_vietnam.csv, one cell edited", "quarantined", "owid_ghg_cait2021_vnm",
         ("sector 'environment'", f"dataset '{GHG}'", "expect_column_values_to_be_between(year)", "2031"),
         group="a", hits=(GHG,)),
    Case("numbers_as_strings", "payload", 'every World Bank "value" sent as a JSON string ("41.7" instead of 41.7)',
         "synthetic: real wb_forest.json, numbers quoted", "absorbed", "wb_forest_area_vnm",
         ("all datasets passed their gates; no new version",), group="a"),
    Case("negative_value", "payload", "a 'Valid' hourly PM2.5 reading of -35.0 µg/m³",
         "synthetic: real Hanoi_PM2.5_2019_YTD.csv, one cell edited", "quarantined", "airnow_hanoi_pm25_2019",
         ("sector 'environment'", f"dataset '{PM25}'", "expect_column_values_to_not_be_null(pm25_ugm3)"),
         group="a", hits=(PM25,)),
    Case("type_drift_decimal_comma", "payload", "amounts written with a decimal comma, quoted (\"0,646\", \"1.234,5\")",
         "synthetic: real VNM_oecdcrs_climate_202508.csv, vi-VN number format", "quarantined", "oecd_crs_climate_vnm",
         # issue 14: refused at load by the source contract (was: the gate's not-null on the cast amount)
         ("sector 'environment'", f"dataset '{CLIMATE}'", "source contract violated, not loaded",
          "Source oecd_crs_climate_vnm (sector environment)", "field 'usd_disbursement' expected a number", "'0,646'"),
         group="a", hits=(CLIMATE,)),
    Case("nfd_vietnamese_text", "payload", "the official province list in Unicode NFD (decomposed diacritics) instead of NFC",
         "synthetic: real 915_CTK-CSCL.csv, NFD-normalised", "absorbed", "gso_province_codes_2025",
         ("all datasets passed their gates; no new version",), group="final"),
]
CASE_BY_ID = {c.id: c for c in CASES}
XFAIL: dict[str, str] = {}

# --------------------------------------------------------------------------- mutations of real files


def edit_csv(data: bytes, pick, edit, encoding: str = "utf-8") -> bytes:
    """Edit the first data row for which ``pick(row)`` is true; every other byte stays as it was."""
    text = data.decode(encoding)
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines[1:], start=1):
        row = next(csv.reader([line]))
        if pick(row):
            out = io.StringIO()
            csv.writer(out, lineterminator=line[len(line.rstrip("\r\n")):] or "\n").writerow(edit(row))
            lines[i] = out.getvalue()
            return "".join(lines).encode(encoding)
    raise AssertionError("no row matched")


def vi_vn_number(value: str) -> str:
    """1234.5 -> '1.234,5' (Vietnamese locale: '.' groups thousands, ',' marks decimals)."""
    number = float(value)
    grouped = f"{number:,.4f}".rstrip("0").rstrip(".")
    return grouped.replace(",", "_").replace(".", ",").replace("_", ".")


def decimal_comma(data: bytes) -> bytes:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    cols = [header.index("usd_disbursement"), header.index("usd_disbursement_defl")]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(header)
    for row in rows[1:]:
        for c in cols:
            row[c] = vi_vn_number(row[c]) if row[c] else row[c]
        writer.writerow([int(v) if v.isdigit() else v for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def numbers_as_strings(data: bytes) -> bytes:
    return re.sub(rb'"value":(-?[0-9][0-9.eE+-]*)', rb'"value":"\1"', data)


def to_nfd(data: bytes) -> bytes:
    return unicodedata.normalize("NFD", data.decode("utf-8-sig")).encode("utf-8")


def repaged(data: bytes, total_on_page_2: int) -> dict[int, bytes]:
    """The real single-page payload re-cut the way the API pages (no multi-page response is stored)."""
    meta, records = json.loads(data)
    half = len(records) // 2
    dump = lambda obj: json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()  # noqa: E731
    return {
        1: dump([{**meta, "page": 1, "pages": 2, "per_page": half}, records[:half]]),
        2: dump([{**meta, "page": 2, "pages": 2, "per_page": half, "total": total_on_page_2}, records[half:]]),
    }


class EnvironmentCampaign(Campaign):
    def injections(self) -> dict:
        s, path = self.server, self.path

        def scripted(source, act):
            @contextlib.contextmanager
            def inject():
                s.script(self.url_path(source), act, repeat_last=True)
                try:
                    yield
                finally:
                    s.clear()

            return inject

        def file_fault(source, change):
            return lambda: modified(path(source), change)

        forest = path("wb_forest_area_vnm").read_bytes()
        renewable = path("wb_renewable_share_vnm").read_bytes()
        total = json.loads(renewable)[0]["total"]
        return {
            "wb_truncated_json": scripted("wb_forest_area_vnm", Body(forest[: len(forest) // 2], "application/json")),
            "wb_api_error_body": scripted("wb_energy_use_vnm", Body((self.snapshot / WB_ERROR_BODY).read_bytes(), "application/json")),
            "wb_paging_total_changes": scripted("wb_renewable_share_vnm", Paged(repaged(renewable, total + 1))),
            "province_not_in_dimension": file_fault("aqi_in_stations_vn", lambda d: edit_csv(
                d, lambda r: r[3] == "TP.Hà Nội", lambda r: [*r[:3], "Hà Tây", *r[4:]])),
            "year_in_the_future": file_fault("owid_ghg_cait2021_vnm", lambda d: edit_csv(
                d, lambda r: r[1] == "2018", lambda r: [r[0], "2031", *r[2:]])),
            "numbers_as_strings": file_fault("wb_forest_area_vnm", numbers_as_strings),
            "negative_value": file_fault("airnow_hanoi_pm25_2019", lambda d: edit_csv(
                d, lambda r: r[13] == "Valid" and r[10] not in ("", "-999.0"), lambda r: [*r[:10], "-35.0", *r[11:]])),
            "type_drift_decimal_comma": file_fault("oecd_crs_climate_vnm", decimal_comma),
            "nfd_vietnamese_text": file_fault("gso_province_codes_2025", to_nfd),
        }

    def run_all(self) -> None:
        with self.timed("good build"):
            self.build_good()
        inject = self.injections()
        with self.timed("World Bank HTTP faults (own runs)"):
            for case in CASES:
                if case.group == "solo":
                    self.failing_run(case, inject[case.id])
        with self.timed("group run a"):
            self.group_run("a", [(c, inject[c.id]) for c in CASES if c.group == "a"])
        final = self.new_obs(CASE_BY_ID["nfd_vietnamese_text"])
        final.scope = self.lineage("gso_province_codes_2025")
        with self.guarded(final), self.timed("final rerun (NFD absorbed)"):
            final.before = self.state()
            exc, outcomes = self.recovery("final_rerun", [o for o in self.obs.values() if o is not final], inject[final.case.id])
            final.after_fault = final.after_recovery = self.state()
            if exc is not None:
                final.outcome, final.message = "failed", f"{type(exc).__name__}: {exc}"
            else:
                final.outcome, final.message = classify(outcomes, final.scope, ())
            final.recovery_run, final.recovery, final.good = "final_rerun (the run itself)", dict(outcomes), self.good


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import REPO_ROOT

    registry = load_registry(REPO_ROOT / "include" / "sectors")
    files = sorted({f for s in registry.sources_for(registry.sector(SECTOR)) for f in s.snapshots} | {WB_ERROR_BODY})
    with campaign_platform(tmp_path_factory, SECTOR, files) as (home, snapshot, server):
        c = EnvironmentCampaign(SECTOR, home, snapshot, server)
        c.run_all()
        yield c


EXTRA_CHECKS = {
    "wb_truncated_json": lambda o: o.notes["hits"] == 1 and not o.notes["landed"],
    "wb_api_error_body": lambda o: o.notes["hits"] == 1 and not o.notes["landed"],
    "wb_paging_total_changes": lambda o: o.notes["hits"] == 2 and not o.notes["landed"],
}


@pytest.mark.parametrize("case", case_params(CASES, XFAIL))
def test_fault_case(campaign, case):
    check_observed(campaign.obs, case, EXTRA_CHECKS)

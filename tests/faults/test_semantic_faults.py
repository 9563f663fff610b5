"""Fault and bad-input catalogue, semantic faults (issue 14): well-formed payloads that say the wrong thing.

The transport and environment catalogues break the wire (HTTP, truncated or mis-encoded files).
These rows keep the wire intact and break the *meaning*: another indicator's payload, a vanished
series, half the periods gone, a renamed or retyped field, a repeated period, an empty but valid
payload, a renamed category, a new category, a dropped column, a unit change, another country.
They are what the dataset contracts (registry columns + promise, source ``delivers``) exist to
catch: at load (``load.source_contract``: the payload is not loaded, the datasets it feeds fail
their gates naming source and field) or at the gate (``gate.contract_suite``: coverage, keys,
value sets; plus the rule file's ranges).

Health has four datasets with four disjoint lineages (three World Bank API indicators ->
mortality; bulk CSV + country metadata -> expenditure; WHO CSV -> COVID-19; OWID CSV -> TB), so
each run carries one fault per lineage it touches and the datasets left clean in that run must
still pass their gates. One case (a new series in an exhaustive set) needs a series column read
straight from the source, which health does not have: it runs on environment's OECD CRS flows.
Method as in the other catalogues: last good version built once in a private home; every fault a
SYNTHETIC MODIFICATION OF A REAL FILE in a private snapshot copy (case 1 serves the REAL recorded
payload of another indicator); then (a) message, (b) last good version intact, (c) clean rerun.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.faults.campaign import Campaign, campaign_platform
from tests.faults.faultlib import Case, case_params, check_observed, modified

pytestmark = pytest.mark.slow  # the semantic fault campaigns (health + one environment run): ≈1 min

MORT, EXP, COVID, TB = "health_mortality_indicators", "health_expenditure_asean", "health_covid19_daily", "health_tb_burden"
CLIMATE = "environment_climate_finance"
LOADED = "source contract violated, not loaded"  # the gate's message for a payload refused at load


def at_load(source: str, sector: str = "health") -> tuple[str, ...]:
    return (f"sector '{sector}'", LOADED, f"Source {source} (sector {sector})")


CASES: list[Case] = [
    # ---- run s1: one fault in each of the four lineages
    Case("another_indicator_payload", "semantic", "the REAL recorded under-5 mortality payload (SH.DYN.MORT, same wire shape) "
         "served for life expectancy", "real wb_who_under5_mortality.json in place of wb_who_life_expectancy.json",
         "quarantined", "wb_life_expectancy_vnm",
         (*at_load("wb_life_expectancy_vnm"), f"dataset '{MORT}'", "asked for indicator SP.DYN.LE00.IN",
          "another 'indicator_id'", "'SH.DYN.MORT'"), group="s1", hits=(MORT,)),
    Case("category_code_renamed", "semantic", "Viet Nam's country code renamed upstream (VNM -> VIE) in the bulk CSV",
         "synthetic: real API_SH.XPD.CHEX.GD.ZS csv, one cell edited", "quarantined", "wb_bulk_health_expenditure",
         ("sector 'health'", f"dataset '{EXP}'", "expect_column_distinct_values_to_contain_set(country_iso3)", "VNM"),
         group="s1", hits=(EXP,)),
    Case("duplicated_period", "semantic", "one reporting day (2020-03-01) sent twice",
         "synthetic: real WHO_COVID19_vietnam_rows.csv, one line repeated", "quarantined", "who_covid19_vnm",
         ("sector 'health'", f"dataset '{COVID}'", "date_reported", "unique"), group="s1", hits=(COVID,)),
    Case("csv_header_only", "semantic", "a well-formed CSV with its header and no rows",
         "synthetic: real owid_tb_burden csv cut after its header line", "quarantined", "owid_tb_burden_vnm",
         (*at_load("owid_tb_burden_vnm"), f"dataset '{TB}'", "empty payload: 0 records"), group="s1", hits=(TB,)),
    # ---- run s2
    Case("series_all_null", "semantic", "every value of the under-5 mortality series null (the indicator withdrawn)",
         "synthetic: real wb_who_under5_mortality.json, values nulled", "quarantined", "wb_under5_mortality_vnm",
         ("sector 'health'", f"dataset '{MORT}'", "expect_column_distinct_values_to_contain_set(indicator_code)",
          "SH.DYN.MORT"), group="s2", hits=(MORT,)),
    Case("unit_change_fraction", "semantic", "health expenditure sent as a fraction of GDP (0.041) instead of percent (4.1)",
         "synthetic: real API_SH.XPD.CHEX.GD.ZS csv, every value / 100", "quarantined", "wb_bulk_health_expenditure",
         ("sector 'health'", f"dataset '{EXP}'", "expect_column_values_to_be_between(health_expenditure_pct_gdp)"),
         group="s2", hits=(EXP,)),
    Case("csv_column_dropped", "semantic", "the New_deaths column dropped from the WHO CSV",
         "synthetic: real WHO_COVID19_vietnam_rows.csv without one column", "quarantined", "who_covid19_vnm",
         (*at_load("who_covid19_vnm"), f"dataset '{COVID}'", "field 'new_deaths' missing"), group="s2", hits=(COVID,)),
    Case("numbers_as_text_na", "semantic", "TB incident case counts written as 'n/a' for three years",
         "synthetic: real owid_tb_burden csv, three cells edited", "quarantined", "owid_tb_burden_vnm",
         (*at_load("owid_tb_burden_vnm"), f"dataset '{TB}'", "field 'estimated_number_of_incident_cases_all_forms_e_inc_num'",
          "expected an integer", "'n/a'"), group="s2", hits=(TB,)),
    # ---- runs s3..s7: the mortality lineage, one fault per run; the other three datasets stay clean
    Case("half_periods_missing", "semantic", "life expectancy payload with only its 32 newest records (31 years with a value; total adjusted)",
         "synthetic: real wb_who_life_expectancy.json, older half of the records removed", "quarantined",
         "wb_life_expectancy_vnm",
         ("sector 'health'", f"dataset '{MORT}'", "expect_column_unique_value_count_to_be_between(year)", "SP.DYN.LE00.IN"),
         group="s3", hits=(MORT,)),
    Case("field_renamed", "semantic", 'every record\'s "value" renamed "obs_value"',
         "synthetic: real wb_who_infant_mortality.json, one key renamed", "quarantined", "wb_infant_mortality_vnm",
         (*at_load("wb_infant_mortality_vnm"), f"dataset '{MORT}'", "field 'value' missing", "obs_value"),
         group="s4", hits=(MORT,)),
    Case("decimal_comma_text", "semantic", 'every value sent as text with a decimal comma ("20,7")',
         "synthetic: real wb_who_under5_mortality.json, values re-written", "quarantined", "wb_under5_mortality_vnm",
         (*at_load("wb_under5_mortality_vnm"), f"dataset '{MORT}'", "field 'value' expected a number", "'20,7"),
         group="s5", hits=(MORT,)),
    Case("wb_empty_payload", "semantic", "a well-formed World Bank reply with total 0 and no records ([meta, []])",
         "synthetic: real wb_who_life_expectancy.json meta, records emptied", "quarantined", "wb_life_expectancy_vnm",
         (*at_load("wb_life_expectancy_vnm"), f"dataset '{MORT}'", "empty payload: 0 records"), group="s6", hits=(MORT,)),
    Case("another_country", "semantic", "infant mortality records of Thailand (THA/TH) served for Viet Nam",
         "synthetic: real wb_who_infant_mortality.json, country fields edited", "quarantined", "wb_infant_mortality_vnm",
         (*at_load("wb_infant_mortality_vnm"), f"dataset '{MORT}'", "asked for country VNM", "'countryiso3code'", "'THA'"),
         group="s7", hits=(MORT,)),
    # ---- environment: a new value in an exhaustive series set
    Case("new_series_in_exhaustive_set", "semantic", "a flow type the contract does not know ('Export Credits') appears",
         "synthetic: real VNM_oecdcrs_climate_202508.csv, 3 rows copied with a new flow_name", "quarantined",
         "oecd_crs_climate_vnm",
         ("sector 'environment'", f"dataset '{CLIMATE}'", "expect_column_values_to_be_in_set(flow_name)", "Export Credits"),
         group="e1", hits=(CLIMATE,)),
]
CASE_BY_ID = {c.id: c for c in CASES}
XFAIL: dict[str, str] = {}

# --------------------------------------------------------------------------- mutations of real files


def wb_records(change):
    """Map a World Bank [meta, records] payload through ``change(meta, records) -> (meta, records)``."""
    def apply(data: bytes) -> bytes:
        meta, records = json.loads(data)
        meta, records = change(meta, records)
        return json.dumps([meta, records], separators=(",", ":"), ensure_ascii=False).encode()
    return apply


def nulled(meta, records):
    return meta, [{**r, "value": None} for r in records]


def newest_half(meta, records):
    kept = records[: len(records) // 2]  # records arrive newest first
    return {**meta, "total": len(kept)}, kept


def renamed_value(meta, records):
    # renamed in place: the key keeps its position in every record (and so the column order)
    return meta, [{("obs_value" if k == "value" else k): v for k, v in r.items()} for r in records]


def decimal_comma(meta, records):
    return meta, [{**r, "value": None if r["value"] is None else str(r["value"]).replace(".", ",")} for r in records]


def emptied(meta, records):
    return {**meta, "total": 0, "pages": 1}, []


def thailand(meta, records):
    return meta, [{**r, "country": {"id": "TH", "value": "Thailand"}, "countryiso3code": "THA"} for r in records]


def csv_lines(change, encoding: str = "utf-8-sig"):
    """Map a CSV's lines (header first, line endings kept) through ``change(lines) -> lines``."""
    def apply(data: bytes) -> bytes:
        bom = data.startswith(b"\xef\xbb\xbf")
        lines = data.decode(encoding).splitlines(keepends=True)
        out = "".join(change(lines)).encode("utf-8")
        return (b"\xef\xbb\xbf" + out) if bom else out
    return apply


def row_of(line: str) -> list[str]:
    return next(csv.reader([line]))


def line_of(row: list[str], like: str, quote_all: bool = False) -> str:
    out = io.StringIO()
    ending = like[len(like.rstrip("\r\n")):] or "\n"
    csv.writer(out, lineterminator=ending, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerow(row)
    return out.getvalue()


def bulk_values_per_100(lines):
    """Every year cell of the World Bank bulk CSV divided by 100 (the 4 preamble lines kept)."""
    out = lines[:5]
    for line in lines[5:]:
        row = row_of(line)
        if len(row) > 4:
            row = row[:4] + [f"{float(v) / 100:.10g}" if v else v for v in row[4:]]
            line = line_of(row, line, quote_all=True)
        out.append(line)
    return out


def bulk_code(old: str, new: str):
    def change(lines):
        return [line.replace(f'","{old}","', f'","{new}","', 1) if f'","{old}","' in line else line for line in lines]
    return change


def repeat_day(day: str):
    def change(lines):
        i = next(i for i, line in enumerate(lines) if line.startswith(day))
        return [*lines[: i + 1], lines[i], *lines[i + 1:]]
    return change


def drop_column(name: str):
    def change(lines):
        index = row_of(lines[0].lstrip("\ufeff")).index(name)
        return [line_of([v for j, v in enumerate(row_of(line)) if j != index], line) for line in lines]
    return change


def na_cells(column_prefix: str, years: tuple[str, ...]):
    def change(lines):
        header = row_of(lines[0])
        col = next(j for j, h in enumerate(header) if h.startswith(column_prefix))
        out = [lines[0]]
        for line in lines[1:]:
            row = row_of(line)
            if row[1] in years:
                row[col] = "n/a"
                line = line_of(row, line)
            out.append(line)
        return out
    return change


def new_flow(flow: str, copy_of: str, n: int):
    """Copy ``n`` real rows of one flow type under a flow name the contract does not list."""
    def change(lines):
        picked = [line for line in lines[1:] if row_of(line)[2] == copy_of][:n]
        assert len(picked) == n, f"fewer than {n} rows of {copy_of}"
        added = []
        for line in picked:
            row = row_of(line)
            row[2] = flow
            added.append(line_of(row, line, quote_all=True).replace(f'"{row[4]}"', row[4], 1))
        return [*lines, *added]
    return change


# --------------------------------------------------------------------------- the campaigns


class SemanticCampaign(Campaign):
    """Group runs as in the other catalogues, plus: datasets no fault of a run touches still pass,
    and what the publish policy would have said of each failed dataset's audit table had its gate
    let it through (issue 15: the policy is the second line of defence against a wrong payload)."""

    last_outcomes: dict = {}
    last_reviews: dict = {}

    def run(self, run_id: str):
        exc, outcomes = super().run(run_id)
        self.last_outcomes = outcomes
        self.last_reviews = self.reviews_of_failed(run_id, outcomes)
        return exc, outcomes

    def reviews_of_failed(self, run_id: str, outcomes: dict) -> dict:
        """``{dataset: (action, DiffSummary)}``: the real review (diff + policy) of each gate-failed
        audit table against the served version — computed, never recorded or published."""
        from sector_datasets.review.candidate import review
        from sector_datasets.state import layout
        from sector_datasets.state.versions import served_version
        from sector_datasets.warehouse import get_backend
        from sector_datasets.warehouse.duckdb_lock import quote_ident

        failed = [ds for ds in self.sector.datasets if ds.id in outcomes and not isinstance(outcomes[ds.id], dict)]
        reviews = {}
        with get_backend(self.settings).connect_writer(f"semantic review {run_id}") as con:
            for ds in failed:
                served, _ = served_version(con, self.settings.exports_dir, self.sector_id, ds.id)
                served_table = f"curated.{quote_ident(layout.version_table(ds.id, served))}"
                r = review(con, ds, f"audit.{quote_ident(ds.model_name)}", served_table, run_id)
                reviews[ds.id] = (r.action, r.diff)
        return reviews

    def file_fault(self, source: str, change, real: bytes | None = None):
        return lambda: modified(self.path(source), (lambda _: real) if real is not None else change)

    def grouped(self, inject: dict, groups: list[str]) -> None:
        for group in groups:
            members = [(c, inject[c.id]) for c in CASES if c.group == group]
            with self.timed(f"semantic run {group}"):
                self.group_run(group, members)
            touched = {d for c, _ in members for d in self.lineage(c.target)}
            clean = [d for d in self.datasets if d not in touched]
            untouched_ok = {d: isinstance(self.last_outcomes.get(d), dict) for d in clean}
            for case, _ in members:
                self.obs[case.id].notes["clean_datasets_passed"] = untouched_ok
                self.obs[case.id].notes["review"] = {d: self.last_reviews[d] for d in case.hits if d in self.last_reviews}


class HealthCampaign(SemanticCampaign):
    def injections(self) -> dict:
        f = self.file_fault
        return {
            "another_indicator_payload": f("wb_life_expectancy_vnm", None, self.path("wb_under5_mortality_vnm").read_bytes()),
            "category_code_renamed": f("wb_bulk_health_expenditure", csv_lines(bulk_code("VNM", "VIE"))),
            "duplicated_period": f("who_covid19_vnm", csv_lines(repeat_day("2020-03-01"))),
            "csv_header_only": f("owid_tb_burden_vnm", csv_lines(lambda lines: lines[:1])),
            "series_all_null": f("wb_under5_mortality_vnm", wb_records(nulled)),
            "unit_change_fraction": f("wb_bulk_health_expenditure", csv_lines(bulk_values_per_100)),
            "csv_column_dropped": f("who_covid19_vnm", csv_lines(drop_column("New_deaths"))),
            "numbers_as_text_na": f("owid_tb_burden_vnm", csv_lines(na_cells(
                "Estimated number of incident cases (all forms) (e_inc_num)", ("2001", "2002", "2003")))),
            "half_periods_missing": f("wb_life_expectancy_vnm", wb_records(newest_half)),
            "field_renamed": f("wb_infant_mortality_vnm", wb_records(renamed_value)),
            "decimal_comma_text": f("wb_under5_mortality_vnm", wb_records(decimal_comma)),
            "wb_empty_payload": f("wb_life_expectancy_vnm", wb_records(emptied)),
            "another_country": f("wb_infant_mortality_vnm", wb_records(thailand)),
        }

    def run_all(self) -> None:
        with self.timed("semantic good build"):
            self.build_good()
        self.grouped(self.injections(), ["s1", "s2", "s3", "s4", "s5", "s6", "s7"])
        with self.timed("semantic clean rerun"):
            self.recovery("clean_rerun", list(self.obs.values()))


class ClimateCampaign(SemanticCampaign):
    def run_all(self) -> None:
        with self.timed("semantic good build"):
            self.build_good()
        inject = {"new_series_in_exhaustive_set": self.file_fault(
            "oecd_crs_climate_vnm", csv_lines(new_flow("Export Credits", "ODA Loans", 3)))}
        self.grouped(inject, ["e1"])
        with self.timed("semantic clean rerun"):
            self.recovery("clean_rerun", list(self.obs.values()))


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory):
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import REPO_ROOT

    registry = load_registry(REPO_ROOT / "include" / "sectors")
    observations: dict = {}
    for sector, cls in (("health", HealthCampaign), ("environment", ClimateCampaign)):
        files = sorted({f for s in registry.sources_for(registry.sector(sector)) for f in s.snapshots})
        # campaign_platform names its temporary folders after its third argument only
        with campaign_platform(tmp_path_factory, f"semantic_{sector}", files) as (home, snapshot, server):
            c = cls(sector, home, snapshot, server)
            c.run_all()
            observations.update(c.obs)
    yield observations


def clean_ones_passed(obs) -> bool:
    """The datasets of the sector that no fault of this run touched passed their gates."""
    return all(obs.notes.get("clean_datasets_passed", {}).values())


def never_served(action, diff) -> bool:
    """Refused at load: nothing of the payload reached the audit table. Raw keeps the last payload
    *loaded*, so the audit table is the last good one (unchanged) or, when an earlier case of the
    lineage was caught at the gate (csv_column_dropped after duplicated_period), still that one —
    which the policy does not publish either."""
    return diff.unchanged or action != "publish"


# What the publish policy says of the audit table a caught fault left behind, had the gate let it
# through: never PUBLISH. ``(action, DiffSummary)`` of the real review (review.candidate.review).
REVIEW_CHECKS = {
    "category_code_renamed": lambda a, d: a == "block" and d.series_removed == ["VNM"] and d.removed == 23,
    "duplicated_period": lambda a, d: a == "block" and d.repeated_keys == 1 and (d.added, d.removed, d.changed) == (0, 0, 0),
    "series_all_null": lambda a, d: a == "block" and d.series_removed == ["SH.DYN.MORT"] and d.removed == 60,
    "unit_change_fraction": lambda a, d: a == "approve" and d.changed == d.rows_before == 251
                                         and abs(d.max_relative_revision - 0.99) < 1e-9,
    "half_periods_missing": lambda a, d: a == "approve" and d.removed == 33 and d.periods_removed[0] == "1960",
    "new_series_in_exhaustive_set": lambda a, d: a == "approve" and d.series_added == ["Export Credits"] and d.added == 3,
}


def reviewed_right(obs) -> bool:
    check = REVIEW_CHECKS.get(obs.case.id, never_served)
    reviews = obs.notes.get("review") or {}
    return bool(reviews) and all(check(action, diff) for action, diff in reviews.values())


EXTRA_CHECKS = {c.id: lambda obs: clean_ones_passed(obs) and reviewed_right(obs) for c in CASES}


@pytest.mark.parametrize("case", case_params(CASES, XFAIL))
def test_fault_case(campaigns, case):
    check_observed(campaigns, case, EXTRA_CHECKS)


"""Open-data metadata: datapackage.json validates with frictionless against the very files
published, the Parquet file has the declared schema, and the DCAT catalog describes them."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import frictionless
import pytest

from sector_datasets.publish import PublishError
from sector_datasets.publish.metadata import column_dictionary
from sector_datasets.report import datapackage, dcat, write_index
from sector_datasets.report.facts import all_facts
from sector_datasets.state import layout


@pytest.fixture(scope="module")
def site(sample):
    write_index(sample.settings, sample.registry)
    return sample


def package_path(sample, dataset_id: str) -> Path:
    sector, _ = sample.registry.dataset(dataset_id)
    return sample.settings.exports_dir / sector.id / dataset_id / layout.DATAPACKAGE_NAME


def errors(report: frictionless.Report) -> list:
    return report.flatten(["type", "fieldName", "message"])


@pytest.mark.parametrize("dataset_id", ["demo_values", "demo_broken", "other_counts"])
def test_every_published_dataset_has_a_datapackage_that_frictionless_validates(site, dataset_id):
    report = frictionless.validate(str(package_path(site, dataset_id)))
    assert report.valid, errors(report)


def test_a_dataset_never_published_has_no_datapackage(site):
    assert not (site.settings.exports_dir / "demo" / "demo_never" / layout.DATAPACKAGE_NAME).exists()


def test_the_table_schema_carries_types_descriptions_key_licence_and_sources(site):
    package = json.loads(package_path(site, "demo_values").read_text())
    table = package["resources"][0]
    assert table["path"] == "current/demo_values.csv" and table["profile"] == "tabular-data-resource"
    fields = {f["name"]: f for f in table["schema"]["fields"]}
    assert {n: f["type"] for n, f in fields.items()} == {
        "province_code": "string", "year": "integer", "value": "number", "share": "number", "big_count": "integer",
        "is_final": "boolean", "as_of_date": "date", "loaded_at": "datetime", "status": "string", "note": "string",
    }
    assert fields["share"]["description"] == "Share of the national total, percent."
    assert fields["share"]["description_vi"] == "Tỉ trọng trong tổng cả nước, %."
    assert table["schema"]["primaryKey"] == ["province_code", "year"]
    assert package["licenses"] == [{"name": "CC-BY-4.0", "title": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert package["sources"][0]["path"] == "https://raw.githubusercontent.com/example/repo/0123abcd/demo_src.csv"
    assert package["sources"][0]["provenance"].startswith("example/repo @")
    assert package["version"] == "1.0.0" and package["sector_datasets"]["version_folder"] == "v0001"  # Data Package Version pattern
    assert [r["path"] for r in package["resources"]] == ["current/demo_values.csv", "current/demo_values.parquet", "current/demo_values.xlsx", "current/metadata.json"]


def test_constraints_come_from_the_contract_and_the_rule_file_where_they_mean_the_same(site):
    fields = {f["name"]: f for f in json.loads(package_path(site, "demo_values").read_text())["resources"][0]["schema"]["fields"]}
    constraints = {name: f.get("constraints", {}) for name, f in fields.items()}
    assert constraints["province_code"] == {"required": True, "pattern": "^[0-9]{2}$"}
    assert constraints["year"] == {"required": True, "minimum": 2000, "maximum": 2030}
    assert constraints["status"] == {"required": True, "enum": ["final", "provisional"]}  # contract values
    assert constraints["value"] == {"required": True, "minimum": 0, "maximum": 1e9}  # not the row_condition's minimum 5
    assert constraints["share"] == {}  # nullable in the contract; mostly=0.95 holds for most rows only
    other = json.loads(package_path(site, "other_counts").read_text())["resources"][0]["schema"]["fields"]
    assert other[0]["constraints"] == {"required": True, "unique": True}  # contract unique: true
    # Types, descriptions and units are the contract's, not the warehouse's.
    assert [(n, fields[n]["type"]) for n in ("share", "big_count", "loaded_at")] == [
        ("share", "number"), ("big_count", "integer"), ("loaded_at", "datetime")]
    assert (fields["value"]["unit"], fields["share"]["description_vi"]) == ("tonnes", "Tỉ trọng trong tổng cả nước, %.")


def test_metadata_json_documents_the_contract_and_the_promise(site):
    meta = json.loads((package_path(site, "demo_values").parent / "current" / "metadata.json").read_text())
    status = next(c for c in meta["columns"] if c["name"] == "status")
    assert status == {"name": "status", "type": "text", "warehouse_type": "VARCHAR", "description": "final or provisional.",
                      "description_vi": "Chính thức hoặc sơ bộ.", "unit": None, "nullable": False, "unique": False,
                      "values": ["final", "provisional"]}
    assert meta["promise"] == {"geography": {"text": "Two test provinces"}, "min_rows": 1, "period": "year", "min_periods": 1}
    package = json.loads(package_path(site, "demo_values").read_text())
    assert package["sector_datasets"]["promise"] == meta["promise"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"column": "x", "min_value": 1, "max_value": 9}, {"minimum": 1, "maximum": 9}),
        ({"column": "x", "min_value": 1, "max_value": 9, "mostly": 0.99}, {}),
        ({"column": "x", "min_value": 1, "max_value": 9, "strict_min": True}, {"maximum": 9}),
        ({"column": "x", "min_value": 1, "row_condition": 'col("y")==1'}, {}),
        ({"column": "x", "min_value": "2020-01-01"}, {}),  # a date bound is not a numeric minimum
    ],
)
def test_between_maps_to_minimum_and_maximum_only_when_strict(kwargs, expected):
    suite = {"expectations": [{"type": "expect_column_values_to_be_between", "kwargs": kwargs}]}
    assert datapackage.field_constraints(suite, "x", "number") == expected


def test_an_unanchored_regex_is_not_a_pattern():
    suite = {"expectations": [{"type": "expect_column_values_to_match_regex", "kwargs": {"column": "x", "regex": "[A-Z]{3}"}}]}
    assert datapackage.field_constraints(suite, "x", "string") == {}


@pytest.mark.parametrize(
    ("contract_type", "schema_type"),
    [("text", "string"), ("integer", "integer"), ("double", "number"), ("decimal", "number"), ("boolean", "boolean"),
     ("date", "date"), ("timestamp", "datetime"), ("VARCHAR", "any")],
)
def test_contract_types_map_to_table_schema_types(contract_type, schema_type):
    assert datapackage.table_schema_type(contract_type)["type"] == schema_type


def test_enum_values_take_the_field_type():
    column = {"name": "x", "type": "integer", "nullable": True, "values": ["1", 2]}
    assert datapackage.table_field(column, None)["constraints"] == {"enum": [1, 2]}


def test_the_parquet_file_has_the_declared_columns_types_and_rows(site):
    package = json.loads(package_path(site, "demo_values").read_text())
    fields = package["resources"][0]["schema"]["fields"]
    parquet = package_path(site, "demo_values").parent / package["resources"][1]["path"]
    with duckdb.connect() as con:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{parquet}')").fetchall()
        rows = con.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()[0]
    # DECIMAL columns are DOUBLE in Parquet (their values are exact at the declared scale): pandas gets floats.
    declared = [(f["name"], "DOUBLE" if f["duckdb_type"].startswith("DECIMAL") else f["duckdb_type"]) for f in fields]
    assert any(f["duckdb_type"].startswith("DECIMAL") for f in fields)
    assert [(name, kind) for name, kind, *_ in described] == declared
    assert rows == package["sector_datasets"]["row_count"] == 3


def _copy_package(site, dataset_id: str, tmp_path: Path) -> Path:
    """A writable copy of the dataset folder (published files are read-only)."""
    src = package_path(site, dataset_id).parent
    dst = tmp_path / dataset_id
    (dst / "current").mkdir(parents=True)
    shutil.copyfile(src / layout.DATAPACKAGE_NAME, dst / layout.DATAPACKAGE_NAME)
    for f in (src / "current").iterdir():
        shutil.copyfile(f, dst / "current" / f.name)
        (dst / "current" / f.name).chmod(0o644)
    return dst / layout.DATAPACKAGE_NAME


def test_a_file_changed_after_publication_no_longer_validates(site, tmp_path):
    package = _copy_package(site, "demo_broken", tmp_path)
    csv = package.parent / "current" / "demo_broken.csv"
    csv.write_text(csv.read_text().replace("20.0", "21.0"))
    report = frictionless.validate(str(package))
    assert not report.valid and {e[0] for e in errors(report)} == {"hash-count"}


def test_data_that_breaks_the_declared_schema_does_not_validate(site, tmp_path):
    package = _copy_package(site, "demo_broken", tmp_path)
    descriptor = json.loads(package.read_text())
    del descriptor["resources"][0]["hash"]  # the data itself is checked, not only its bytes
    del descriptor["resources"][0]["bytes"]
    package.write_text(json.dumps(descriptor))
    csv = package.parent / "current" / "demo_broken.csv"
    csv.write_text(csv.read_text() + "1,250.0\nx,3\n")
    report = frictionless.validate(str(package))
    assert not report.valid
    found = {(e[0], e[1]) for e in errors(report)}
    assert ("primary-key", None) in found or ("unique-error", "item_id") in found  # duplicate id 1
    assert ("type-error", "item_id") in found  # "x" is not an integer


def test_hashes_of_an_unchanged_version_are_reused_not_recomputed(site, monkeypatch):
    def no_hashing(path):
        raise AssertionError(f"re-hashed {path}")

    monkeypatch.setattr(datapackage, "_sha256", no_hashing)
    facts = all_facts(site.settings, site.registry)
    for sf in facts.values():
        for f in sf.datasets:
            datapackage.write_datapackage(site.settings, sf.sector, f)


# --- DCAT-AP catalog -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog(site):
    return json.loads((site.settings.exports_dir / layout.CATALOG_JSONLD_NAME).read_text())


def test_the_catalog_lists_every_published_dataset_once(catalog):
    assert catalog["@type"] == "dcat:Catalog"
    assert sorted(d["dct:identifier"] for d in catalog["dcat:dataset"]) == ["demo_broken", "demo_values", "other_counts"]


def test_each_dataset_has_the_dcat_ap_mandatory_and_recommended_properties(catalog):
    for d in catalog["dcat:dataset"]:
        assert d["@type"] == "dcat:Dataset"
        assert {t["@language"] for t in d["dct:title"]} == {"vi", "en"}
        assert {t["@language"] for t in d["dct:description"]} == {"vi", "en"}
        for key in ("dct:publisher", "dcat:contactPoint", "dct:accrualPeriodicity", "dct:issued", "dct:modified",
                    "dcat:distribution", "dct:provenance", "dcat:landingPage"):
            assert key in d, (d["dct:identifier"], key)
        assert d["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == "mailto:data@example.gov.vn"
    freq = {d["dct:identifier"]: d["dct:accrualPeriodicity"]["@id"].rsplit("/", 1)[1] for d in catalog["dcat:dataset"]}
    assert freq == {"demo_values": "ANNUAL", "demo_broken": "MONTHLY", "other_counts": "ANNUAL"}
    # The promised geography (contract promise.geography.text) is the dataset's spatial coverage.
    assert {d["dct:spatial"]["rdfs:label"] for d in catalog["dcat:dataset"]} == {"Two test provinces"}


def test_a_published_column_missing_from_the_contract_fails_the_publish_naming_dataset_and_column(site):
    _, dataset = site.registry.dataset("other_counts")
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS item_id, 2 AS n, 'x' AS surprise")
        with pytest.raises(PublishError, match=r"dataset 'other_counts': published column 'surprise' has no entry"):
            column_dictionary(con, "t", "other", dataset)


def test_every_distribution_url_resolves_from_the_catalog_to_the_file_it_describes(site, catalog):
    for d in catalog["dcat:dataset"]:
        assert {dist["dct:format"]["@id"].rsplit("/", 1)[1] for dist in d["dcat:distribution"]} == {"CSV", "PARQUET", "XLSX", "JSON"}
        for dist in d["dcat:distribution"]:
            path = dcat.published_file(site.settings, dist["dcat:downloadURL"]["@id"])
            assert path is not None and path.is_file(), dist["@id"]
            assert int(dist["dcat:byteSize"]["@value"]) == path.stat().st_size
            if "spdx:checksum" in dist:
                assert dist["spdx:checksum"]["spdx:checksumValue"]["@value"] == hashlib.sha256(path.read_bytes()).hexdigest()
            assert dist["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        assert dcat.published_file(site.settings, d["dcat:landingPage"]["@id"]) is not None

"""``cli new-dataset``: the files a new dataset needs, with its contract as a valid skeleton.

For an existing sector it writes (and refuses to overwrite any of):

* a dataset entry in ``include/sectors/<sector>.yml``, inserted as *text* at the end of the
  ``datasets:`` list so the file's comments and layout survive (a YAML round-trip would drop
  them); every value a person must decide is a quoted ``TODO`` text, and the entry loads;
* the mart ``dbt_project/models/marts/<sector>/<dataset>.sql`` reading the staging model of each
  given source (a TODO comment where none is found);
* an empty rule file ``expectations/<dataset>.json`` (the baseline suite comes from the contract);

then regenerates the dbt ymls from the registry (``transform.dbt_contracts.sync_dbt``). If the
registry does not load after the edit, every change is undone and the error says why.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sector_datasets.registry import Registry, RegistryError, Sector, load_registry
from sector_datasets.settings import Settings

_ID = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_TOP_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*:")


class ScaffoldRefused(ValueError):
    """The scaffold cannot be written as asked (unknown sector, existing dataset or file)."""


@dataclass
class Scaffold:
    created: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    sync_note: str = ""


def _q(text: str) -> str:
    """A single-quoted YAML scalar: TODO texts contain ':' and must stay strings."""
    return "'" + text.replace("'", "''") + "'"


def dataset_entry(dataset_id: str, sector: Sector, registry: Registry, sources: list[str], inputs: list[str],
                  period: str | None, indent: str = "  ") -> str:
    """The registry entry of a new dataset: a complete, valid contract with TODO texts."""
    first = registry.sources[sources[0]] if sources else None
    key = period or "code"
    key_type = "integer" if key == "year" else ("date" if period else "text")
    lines = [
        f"# TODO({dataset_id}): written by `cli new-dataset`; replace every 'TODO' text, the placeholder",
        "# columns and the promise with the dataset's real contract, then run `cli sync-dbt`.",
        f"- id: {dataset_id}",
        "  title:",
        f"    vi: {_q('TODO: tên bộ dữ liệu')}",
        f"    en: {_q('TODO: dataset title')}",
        "  description:",
        f"    vi: {_q('TODO: bộ dữ liệu gồm gì, mỗi dòng là gì, lấy từ đâu')}",
        f"    en: {_q('TODO: what the dataset holds, what one row is, where it comes from')}",
        f"  grain: {_q('TODO: one row per ...')}",
        f"  primary_key: [{key}]",
        "  columns:",
        f"    - name: {key}",
        f"      type: {key_type}",
        "      description:",
        f"        en: {_q('TODO: what ' + key + ' is')}",
        f"        vi: {_q('TODO: ' + key + ' là gì')}",
        "    - name: value",
        "      type: double",
        "      nullable: true",
        "      description:",
        f"        en: {_q('TODO: what the value measures')}",
        f"        vi: {_q('TODO: giá trị đo gì')}",
        f"      unit: {_q('TODO: unit')}",
        "  promise:",
    ]
    if period:
        lines += [f"    period: {period}", "    min_periods: 1"]
    lines += [f"    geography: {{text: {_q('TODO: geography covered, e.g. Viet Nam, national')}}}"]
    if sources:
        lines.append(f"  sources: [{', '.join(sources)}]")
    if inputs:
        lines.append(f"  inputs: [{', '.join(inputs)}]")
    lines += [
        f"  update_frequency: {first.update_frequency if first else 'yearly'}",
        f"  licence: {_q(first.licence) if first else _q('TODO: licence of the data')}",
        f"  coverage: {_q('TODO: what the dataset covers and, honestly, what it does not')}",
    ]
    return "".join(f"{indent}{line}\n" for line in lines)


def insert_dataset(text: str, entry_lines: str) -> str:
    """``text`` with ``entry_lines`` appended to its top-level ``datasets:`` list, as text."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = next((i for i, line in enumerate(lines) if re.match(r"^datasets\s*:", line)), None)
    if start is None or re.match(r"^datasets\s*:\s*\[\s*\]", lines[start]):
        # No list yet: open one where the old key was, or before usage_scenarios, or at the end.
        if start is not None:
            del lines[start]
        at = start if start is not None else next(
            (i for i, line in enumerate(lines) if re.match(r"^usage_scenarios\s*:", line)), len(lines))
        return "".join(lines[:at] + ["datasets:\n", entry_lines] + lines[at:])
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    # Blank lines and comments just above the next key belong to that key.
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return "".join(lines[:end] + [entry_lines] + lines[end:])


def _item_indent(text: str) -> str:
    after = text.split("\ndatasets:", 1)[-1]
    match = re.search(r"^( *)- ", after, flags=re.M)
    return match.group(1) if match else "  "


def staging_model(dbt_project: Path, dbt_source: str) -> str | None:
    """The staging model that reads ``<name>.<table>`` (past a ``base_`` model), if there is one."""
    name, table = dbt_source.split(".", 1)
    calls = re.compile(rf"""source\(\s*['"]{re.escape(name)}['"]\s*,\s*['"]{re.escape(table)}['"]\s*\)""")
    staging = sorted((dbt_project / "models" / "staging").rglob("*.sql"))
    conventional = f"stg_{name}__{table}"  # the naming convention (macro-built models call source() inside)
    if any(p.stem == conventional for p in staging):
        return conventional
    model = next((p.stem for p in staging if calls.search(p.read_text(encoding="utf-8"))), None)
    if model and model.startswith("base_"):
        refs = re.compile(rf"""ref\(\s*['"]{re.escape(model)}['"]\s*\)""")
        model = next((p.stem for p in staging if refs.search(p.read_text(encoding="utf-8"))), model)
    return model


def mart_sql(dataset_id: str, sector_id: str, registry: Registry, dbt_project: Path, sources: list[str],
             inputs: list[str]) -> str:
    out = [f"-- {dataset_id}: TODO say what one row is and how it is built (the contract is its entry in",
           f"-- include/sectors/{sector_id}.yml; select exactly the contract's columns).", "with"]
    ctes = []
    for sid in sources:
        model = staging_model(dbt_project, registry.sources[sid].dbt_source)
        if model:
            ctes.append(f"{sid} as (\n    select * from {{{{ ref('{model}') }}}}\n)")
        else:
            out.insert(2, f"-- TODO: no staging model reads source {registry.sources[sid].dbt_source!r} ({sid}) yet: "
                          f"write one under models/staging/.")
    for inp in inputs:
        out.insert(2, f"-- TODO: read the published input {inp!r} as the other cross-sector marts do.")
    if not ctes:
        return "\n".join(out[:-1]) + "\nselect\n    -- TODO: the contract's columns\n    null as code\n"
    first = sources[0] if sources else ""
    return "\n".join(out) + "\n" + ",\n\n".join(ctes) + (
        f"\n\nselect\n    -- TODO: exactly the contract's columns, cast to their types\n    *\nfrom {first}\n"
    )


def _check(registry: Registry, sector_id: str, dataset_id: str, sources: list[str], inputs: list[str],
           paths: list[Path]) -> Sector:
    if sector_id not in registry.sectors:
        raise ScaffoldRefused(f"unknown sector {sector_id!r} (known: {', '.join(sorted(registry.sectors))})")
    sector = registry.sectors[sector_id]
    if not _ID.match(dataset_id):
        raise ScaffoldRefused(f"dataset id {dataset_id!r} must match {_ID.pattern} (a table and folder name)")
    if dataset_id in registry.datasets:
        raise ScaffoldRefused(f"dataset {dataset_id!r} already exists in sector {registry.datasets[dataset_id][0].id!r}")
    readable = {s.id for s in sector.sources} | set(sector.reference_sources)
    unknown = [s for s in sources if s not in readable]
    if unknown:
        raise ScaffoldRefused(f"sector {sector_id!r} has no source(s) {', '.join(unknown)} "
                              f"(its sources: {', '.join(sorted(readable)) or 'none'})")
    missing = [i for i in inputs if i not in registry.datasets]
    if missing:
        raise ScaffoldRefused(f"no published dataset(s) {', '.join(missing)} in the registry")
    if not sources and not inputs and sector.kind != "reference":
        what = "--inputs (published datasets)" if sector.kind == "cross_sector" else "--sources"
        raise ScaffoldRefused(f"a dataset of sector {sector_id!r} needs {what}; "
                              f"its sources: {', '.join(sorted(readable)) or 'none'}")
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        raise ScaffoldRefused(f"dataset {dataset_id!r}: file(s) already exist: {', '.join(existing)}")
    return sector


def new_dataset(settings: Settings, sector_id: str, dataset_id: str, *, sources: list[str] | None = None,
                inputs: list[str] | None = None, period: str | None = None) -> Scaffold:
    """Write the new dataset's files (see the module docstring); raises ScaffoldRefused."""
    sources, inputs = list(sources or []), list(inputs or [])
    registry = load_registry(settings.registry_dir)
    model = settings.dbt_project_dir / "models" / "marts" / sector_id / f"{dataset_id}.sql"
    rules = settings.expectations_dir / f"{dataset_id}.json"
    sector = _check(registry, sector_id, dataset_id, sources, inputs, [model, rules])
    if period is not None and not _ID.match(period):
        raise ScaffoldRefused(f"--period {period!r} must be a column name like 'year'")
    registry_file = registry.files[sector_id]
    before = registry_file.read_text(encoding="utf-8")
    entry = dataset_entry(dataset_id, sector, registry, sources, inputs, period, _item_indent(before))
    registry_file.write_text(insert_dataset(before, entry), encoding="utf-8")
    try:
        load_registry(settings.registry_dir)
    except RegistryError as exc:
        registry_file.write_text(before, encoding="utf-8")
        raise ScaffoldRefused(f"the scaffolded entry does not load, nothing written: {exc}") from exc
    model.parent.mkdir(parents=True, exist_ok=True)
    model.write_text(mart_sql(dataset_id, sector_id, registry, settings.dbt_project_dir, sources, inputs), encoding="utf-8")
    rules.write_text(json.dumps({"name": dataset_id, "expectations": []}, indent=2) + "\n", encoding="utf-8")
    done = Scaffold(created=[model, rules], changed=[registry_file])
    try:
        from sector_datasets.transform.dbt_contracts import sync_dbt
    except ImportError:
        done.sync_note = "the dbt ymls were not generated (transform.dbt_contracts is not available): run `cli sync-dbt`"
        return done
    written = sync_dbt(load_registry(settings.registry_dir), settings)
    done.changed += [p for p in written if p not in done.created]
    done.sync_note = f"generated {len(written)} dbt yml file(s) from the registry"
    return done


HELP = """\
Scaffold a new dataset of an existing sector. Writes:
  include/sectors/<sector>.yml                   + the dataset's entry (its contract): TODO texts,
                                                   placeholder columns, a promise with geography;
                                                   inserted as text, so comments survive
  dbt_project/models/marts/<sector>/<dataset>.sql  the mart, reading the sources' staging models
  expectations/<dataset>.json                    an empty rule file (ranges, cross-column rules)
then generates the mart's dbt yml from the contract (`cli sync-dbt`). Refuses (exit 2) if the
sector is unknown, the dataset id exists or a file is already there.
Next: fill the contract, write the SQL, `cli sync-dbt`, `cli run --sector <sector>`."""


def run_cli(settings: Settings, sector_id: str, dataset_id: str, sources: list[str], inputs: list[str],
            period: str | None) -> int:
    """``cli new-dataset``: print what was written and what to do next; 2 when refused."""
    import sys

    try:
        done = new_dataset(settings, sector_id, dataset_id, sources=sources, inputs=inputs, period=period)
    except ScaffoldRefused as exc:
        print(f"error: new-dataset {sector_id} {dataset_id}: {exc}", file=sys.stderr)
        return 2
    for path in done.created:
        print(f"created  {path}")
    for path in done.changed:
        print(f"changed  {path}")
    print(done.sync_note)
    print(f"""next steps:
  1. fill the contract of {dataset_id} in {done.changed[0]} (every 'TODO': titles, grain, columns, promise)
  2. write the SQL in {done.created[0]} (exactly the contract's columns)
  3. optional: range and cross-column rules in {done.created[1]}
  4. cli sync-dbt            (the mart yml and tests from the contract)
  5. cli run --sector {sector_id}""")
    return 0

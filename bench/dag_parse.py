#!/usr/bin/env python
"""Benchmark 3 — DAG parse time: dags/ with the nine registered sectors, and with 100 generated
sectors (how the registry approach scales), against Airflow's own default limits.

Each measurement parses dags/ in a fresh interpreter the way Airflow's DAG processor does
(Airflow imported first, then the DAG file parsed through a DagBag), with the registry pointed
at either include/sectors/ or a generated registry of N sectors (copies of the real sector
files with renamed ids, labelled generated; nothing is written to the repository).

Ratios printed: parse time / Airflow's default ``dagbag_import_timeout`` (30 s) and
``dag_file_processor_timeout`` (50 s), per-DAG parse time, and N-sector / real parse time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402

from bench.common import REPO, Report, driver, log, machine_load, platform_env, private_home, remove_home  # noqa: E402

DEFAULT_IMPORT_TIMEOUT_S = 30.0  # [core] dagbag_import_timeout default
DEFAULT_PROCESSOR_TIMEOUT_S = 50.0  # [dag_processor] dag_file_processor_timeout default
DEFAULT_MIN_INTERVAL_S = 30.0  # [dag_processor] min_file_process_interval default


def generate_registry(target: Path, n_sectors: int) -> Path:
    """The real registry plus ``n_sectors`` generated copies of its sector files (ids renamed)."""
    target.mkdir(parents=True, exist_ok=True)
    real = sorted((REPO / "include" / "sectors").glob("*.yml"))  # incl. _policy.yml and the like
    docs = {p.stem: yaml.safe_load(p.read_text()) for p in real if not p.name.startswith("_")}
    for p in real:  # the real files stay (generated sectors read their shared sources)
        (target / p.name).write_text(p.read_text())
    templates = [d for k, d in docs.items() if d.get("kind", "sector") == "sector"]
    for i in range(n_sectors):
        doc = yaml.safe_load(yaml.safe_dump(templates[i % len(templates)]))
        sfx = f"_g{i:03d}"
        doc["id"] = f"{doc['id']}{sfx}"[:63]
        doc["name"] = {k: f"{v} (generated {i})" for k, v in doc["name"].items()}
        own_sources = {x["id"] for x in doc.get("sources", [])}
        own_datasets = {x["id"] for x in doc.get("datasets", [])}
        for ds in doc.get("datasets", []):
            old = ds["id"]
            ds["id"] = f"{old}{sfx}"[:63]
            ds["sources"] = [f"{s}{sfx}"[:63] if s in own_sources else s for s in ds.get("sources", [])]
        for src in doc.get("sources", []):
            src["id"] = f"{src['id']}{sfx}"[:63]
            src["dbt_source"] = f"{src['dbt_source']}{sfx}"
        for sc in doc.get("usage_scenarios", []) or []:
            if isinstance(sc, dict) and "datasets" in sc:
                sc["datasets"] = [f"{d}{sfx}"[:63] if d in own_datasets else d for d in sc["datasets"]]
            if isinstance(sc, dict) and "id" in sc:
                sc["id"] = f"{sc['id']}{sfx}"[:63]
        (target / f"{doc['id']}.yml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return target


def measure(registries: list[Path], home: Path, repeat: int, one_process: bool = False) -> list[dict]:
    """Parse dags/ once per registry (fresh interpreter each unless ``one_process``), ``repeat``×."""
    import os

    from sector_datasets.orchestration.airflow_env import airflow_environment
    from sector_datasets.settings import get_settings

    os.environ["SECTOR_DATASETS_HOME"] = str(home)
    env = {**platform_env(home), **airflow_environment(get_settings())}
    groups = [registries] if one_process else [[r] for r in registries]
    runs: dict[str, list[dict]] = {str(r): [] for r in registries}
    for _ in range(repeat):
        for group in groups:
            m = driver("dag_parse.py", str(REPO / "dags"), *map(str, group), env=env).check("dag parse")
            out = m.json_tail()
            for res in out["results"]:
                if res["errors"]:
                    raise RuntimeError(f"DAG import errors: {res['errors']}")
                res["import_airflow_s"] = out["import_airflow_s"]
                runs[res["registry"]].append(res)
    summary = []
    for r in registries:
        rs = runs[str(r)]
        best = dict(rs[0])
        best["parse_runs_s"] = [x["parse_s"] for x in rs]
        best["median_parse_s"] = statistics.median(best["parse_runs_s"])
        best["median_reparse_s"] = statistics.median(x["reparse_s"] for x in rs)
        summary.append(best)
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes: 10 generated sectors, one repetition")
    ap.add_argument("--sectors", type=int, default=100, help="generated registry size (default 100)")
    ap.add_argument("--repeat", type=int, default=3, help="parses per configuration (default 3; the median is used)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args(argv)
    n = 10 if args.smoke else args.sectors
    repeat = 1 if args.smoke else args.repeat
    rep = Report(f"DAG parse time — real registry vs {n} generated sectors ({machine_load()})")
    home = private_home("dagparse")
    try:
        log(f"generating a registry of the real sectors + {n} generated ones (copies, ids renamed)…")
        gen = generate_registry(home / "generated_registry", n)
        log(f"parsing dags/ with the real registry and the generated one ({repeat}× each"
            f"{', one interpreter' if args.smoke else ', fresh interpreter each'})…")
        real, big = measure([REPO / "include" / "sectors", gen], home, repeat, one_process=args.smoke)
        for what, r in (("real", real), ("generated", big)):
            log(f"  {what}: {r['dags']} DAGs, {r['tasks']} tasks: parse {r['median_parse_s']:.2f} s "
                f"(runs {', '.join(f'{x:.2f}' for x in r['parse_runs_s'])}), re-parse {r['median_reparse_s']:.2f} s, "
                f"Airflow import {r['import_airflow_s']:.2f} s")
        for label, r in (("real", real), (f"{n}_sectors", big)):
            p = r["median_parse_s"]
            rep.ratio(f"parse_{label} / dagbag_import_timeout_default", p, DEFAULT_IMPORT_TIMEOUT_S)
            rep.ratio(f"parse_{label} / dag_file_processor_timeout_default", p, DEFAULT_PROCESSOR_TIMEOUT_S)
            rep.ratio(f"parse_{label}_per_dag / dagbag_import_timeout_default", p / r["dags"], DEFAULT_IMPORT_TIMEOUT_S,
                      f"{p / r['dags'] * 1000:.0f} ms per DAG over {r['dags']} DAGs / 30 s")
        rep.ratio("airflow_import / parse_real", real["import_airflow_s"], real["median_parse_s"],
                  f"{real['import_airflow_s']:.2f} s to import Airflow before any DAG file is read")
        rep.ratio(f"parse_{n}_sectors / parse_real", big["median_parse_s"], real["median_parse_s"],
                  f"{big['dags']} vs {real['dags']} DAGs; linear would be {big['dags'] / real['dags']:.1f}")
        rep.ratio(f"per_dag_{n}_sectors / per_dag_real", big["median_parse_s"] / big["dags"], real["median_parse_s"] / real["dags"])
        rep.ratio("reparse_real / parse_real (warm modules)", real["median_reparse_s"], real["median_parse_s"])
        rep.note(f"Airflow defaults: dagbag_import_timeout 30 s, dag_file_processor_timeout 50 s, min_file_process_interval "
                 f"30 s; this project sets AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT=60. All DAGs come from one file "
                 f"(dags/sectors.py), so the limit applies to the whole registry's parse, not per DAG.")
        rep.data = {"real": real, "generated": big}
    finally:
        remove_home(home, args.keep)
    rep.print()
    rep.dump(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

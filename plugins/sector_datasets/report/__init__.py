"""Reports for sector owners: per-run reports, sector scorecards, the national overview and the
open-data metadata (datapackage.json, DCAT catalog), rendered from files the pipeline writes."""

from sector_datasets.report.sector_report import publish_docs, write_index, write_sector_report

__all__ = ["publish_docs", "write_index", "write_sector_report"]

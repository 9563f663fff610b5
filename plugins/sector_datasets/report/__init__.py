"""Reports for sector owners, rendered from the run's event log and the kept gate results."""

from .sector_report import write_index, write_sector_report

__all__ = ["write_index", "write_sector_report"]

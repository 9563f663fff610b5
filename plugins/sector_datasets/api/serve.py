"""``cli serve``: the read API standalone, in one uvicorn process (threads answer the requests)."""

from __future__ import annotations

import sys
from pathlib import Path

from sector_datasets.settings import Settings

DESCRIPTION = ("Serve the read-only open-data API (catalog, rows, versions, DCAT, CKAN subset) over the exports "
               "folder; it never opens the warehouse, so it can run while pipelines publish.")


def serve(settings: Settings, host: str, port: int, exports: Path | None) -> int:
    import uvicorn

    from sector_datasets.api.app import create_api

    exports_dir = (exports or settings.exports_dir).resolve()
    if not exports_dir.is_dir():
        print(f"error: no exports folder at {exports_dir}: run `make run` first, or pass --exports DIR "
              "(chưa có thư mục dữ liệu công bố)", file=sys.stderr)
        return 2
    # A copied exports folder comes without the scorecards: its API answers without maturity.
    app = create_api(exports_dir, settings.reports_dir if exports is None else None)
    print(f"open-data API on http://{host}:{port}/  (OpenAPI: /openapi.json, docs: /docs) over {exports_dir}",
          flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    return 0

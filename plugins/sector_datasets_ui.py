"""Airflow UI plugin: the sector scorecards and the national overview inside the Airflow 3 UI.

* ``fastapi_apps``: a small FastAPI app mounted at ``/sector-datasets/`` serving the static report
  files (``reports/``) and the published exports (``exports/``: CSV, Parquet, datapackage.json,
  catalog.jsonld) from the directories in the environment, read at request time. It never opens
  the warehouse.
* a second ``fastapi_apps`` entry: the open-data read API at ``/open-data/`` (anonymous; the
  same app as ``cli serve``).
* ``external_views``: a top-level navigation entry that shows the national overview inside the
  UI (an iframe on ``/plugin/sector-datasets``), and a "Scorecard" tab on each sector DAG's page.

Access: Airflow mounts plugin apps without authentication, so every route depends on the Airflow
user — the same ``get_user`` the REST API uses: a bearer token, or the UI's ``_token`` cookie,
which the browser sends to these same-origin URLs inside the iframe. Anonymous requests get 401.

Import cost: every Airflow process imports plugins (the scheduler, and each task for macros and
listeners), so this module imports nothing heavy. FastAPI and Airflow's API security module
(~2 s) are imported on the first request, in the API server only.

No ``from __future__ import annotations`` here: FastAPI must see the real ``Request`` annotation of
the dependency; as a string it would turn into a required query parameter and every request 422.
"""

import mimetypes
from pathlib import Path

from airflow.plugins_manager import AirflowPlugin

URL_PREFIX = "/sector-datasets"
OPEN_DATA_PREFIX = "/open-data"  # the read API (cli serve serves the same app standalone)
CACHE_CONTROL = "no-cache"  # pages change after every run; let browsers revalidate
# A bar-chart icon for the navigation entry (a data URI: nothing to fetch, no auth needed).
ICON = (
    "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' "
    "stroke='%23627d98' stroke-width='2' stroke-linecap='round'><path d='M4 20h16M7 16v-5M12 16V6M17 16v-8'/></svg>"
)
mimetypes.add_type("application/ld+json", ".jsonld")
mimetypes.add_type("application/vnd.apache.parquet", ".parquet")
mimetypes.add_type("text/csv", ".csv")


def _roots() -> dict:
    """The served folders, from the environment at request time (as the pipeline writes them)."""
    from sector_datasets.settings import get_settings

    settings = get_settings()
    return {"reports": settings.reports_dir, "exports": settings.exports_dir}


def resolve_file(root: Path, path: str):
    """The file under ``root`` that ``path`` names, or None: no escaping the root (also via
    symlinks), no hidden files (temporary exports, dotfiles); a folder serves its index.html."""
    root = root.resolve()
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") for p in parts):
        return None
    target = root.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    try:
        resolved = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file() or not resolved.is_relative_to(root):
        # 'current' is a symlink to a sibling version folder: still inside the root, allowed.
        return None
    return resolved


def create_app():
    from fastapi import Depends, FastAPI, HTTPException, Request
    from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

    from sector_datasets.state import layout

    async def airflow_user(request: Request):
        """Airflow's own ``get_user`` (bearer token or ``_token`` cookie): 401 when anonymous."""
        from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
        from airflow.api_fastapi.app import get_auth_manager
        from airflow.api_fastapi.core_api.security import bearer_scheme, get_user

        user = await get_user(request, None, await bearer_scheme(request))
        if not get_auth_manager().is_authorized_view(access_view=AccessView.WEBSITE, user=user):
            raise HTTPException(status_code=403, detail="Forbidden")
        return user

    app = FastAPI(
        title="sector-datasets reports",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(airflow_user)],
    )

    def serve(area: str, path: str):
        found = resolve_file(_roots()[area], path)
        if found is None:
            raise HTTPException(status_code=404, detail=f"{area}/{path}: not found")
        media = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media in ("application/json", "application/ld+json"):
            media += "; charset=utf-8"
        return FileResponse(found, media_type=media, headers={"Cache-Control": CACHE_CONTROL})

    def report_path(page: Path) -> str:
        """A page of ``reports/`` (:mod:`sector_datasets.state.layout`) as a URL path under ``reports/``."""
        return f"reports/{page.as_posix()}"

    @app.get("/")
    def overview():
        # Relative, so it works behind any base URL: /sector-datasets/ → /sector-datasets/reports/
        return RedirectResponse(report_path(layout.overview_page(Path())), status_code=307)

    @app.get("/dag/{dag_id}")
    def dag_scorecard(dag_id: str):
        page = layout.scorecard_page(Path(), dag_id.removeprefix("sector_"))
        if dag_id.startswith("sector_") and resolve_file(_roots()["reports"], page.as_posix()):
            return RedirectResponse(f"../{report_path(page)}", status_code=307)
        return HTMLResponse(
            "<!doctype html><meta charset='utf-8'><p style='font-family:system-ui'>Không có thẻ điểm cho DAG này / "
            f"no scorecard for this DAG. <a href='../{report_path(layout.overview_page(Path()))}'>Tổng quan / overview</a></p>",
            status_code=404,
        )

    @app.get("/reports/{path:path}")
    def reports(path: str):
        return serve("reports", path)

    @app.get("/exports/{path:path}")
    def exports(path: str):
        return serve("exports", path)

    return app


def create_open_data_api():
    """The open-data read API (:mod:`sector_datasets.api`), anonymous like the open data it serves;
    the owners' pages above stay behind Airflow's login."""
    from sector_datasets.api.app import create_api

    return create_api()


class LazyApp:
    """An ASGI app that builds the FastAPI app on its first request (see the module docstring)."""

    def __init__(self, factory):
        self._factory = factory
        self._app = None

    async def __call__(self, scope, receive, send):
        if self._app is None:
            self._app = self._factory()
        await self._app(scope, receive, send)


class SectorDatasetsUIPlugin(AirflowPlugin):
    name = "sector_datasets_ui"
    fastapi_apps = [
        {"app": LazyApp(create_app), "url_prefix": URL_PREFIX, "name": "Sector dataset scorecards"},
        {"app": LazyApp(create_open_data_api), "url_prefix": OPEN_DATA_PREFIX, "name": "Open data API"},
    ]
    external_views = [
        {
            # Trailing slash: without it the UI's own catch-all route answers.
            "name": "Thẻ điểm dữ liệu / Data scorecards",  # the sidebar shows "Thẻ điểm…"
            "href": f"{URL_PREFIX}/",
            "url_route": "sector-datasets",
            "destination": "nav",
            "nav_top_level": True,
            "icon": ICON,
        },
        {
            "name": "Thẻ điểm / Scorecard",
            "href": f"{URL_PREFIX}/dag/{{DAG_ID}}",
            "url_route": "sector-datasets-dag",
            "destination": "dag",
        },
    ]

"""The read API's routes (FastAPI): catalog, dataset metadata, versions, rows, DCAT, datapackages.

``create_api()`` is served standalone by ``cli serve`` and mounted by the Airflow UI plugin at
``/open-data``. Every route is a GET, anonymous (open datasets), CORS-enabled for browser apps;
every answer carries an ``ETag`` and, where a version dates it, ``Last-Modified``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from sector_datasets.api import ckan, rows
from sector_datasets.api.http import IMMUTABLE, REVALIDATE, cached, error, etag_of
from sector_datasets.api.query import DEFAULT_LIMIT, MAX_LIMIT, QueryError, RowQuery, parse
from sector_datasets.api.search import DcatTerms, matches, ranked, searchable
from sector_datasets.api.store import DatasetEntry, ExportStore, Gone, NotFound, Version

VERSION_PATTERN = r"^(latest|[1-9][0-9]{0,5})$"

Columns = Annotated[str | None, Query(max_length=2000, description="comma-separated column names")]
Filters = Annotated[list[str], Query(alias="filter",
                                     description="column:op:value; op: eq ne lt lte gt gte in null notnull")]
Sort = Annotated[str | None, Query(max_length=2000, description="columns, '-' for descending: -year,province_code")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
Format = Annotated[str, Query(pattern="^(json|csv|parquet)$")]
VersionParam = Annotated[str, PathParam(pattern=VERSION_PATTERN)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class DatasetSummary(_Open):
    id: str
    sector: str
    title: dict[str, str]
    version: int
    rows: int
    published_at: str
    licence: str | None = None
    themes: list[str] = []
    keywords: list[str] = []
    url: str


class DatasetList(_Open):
    count: int
    datasets: list[DatasetSummary]


class VersionEntry(_Open):
    version: int
    row_count: int | None = None
    published_at: str | None = None
    served: bool
    readable: bool
    note: dict[str, str] | None = None
    url: str | None = None


class VersionList(_Open):
    dataset: str
    latest: int
    versions: list[VersionEntry]


class RowsPage(_Open):
    dataset: str
    version: int
    columns: list[str]
    total: int
    limit: int
    offset: int
    rows: list[dict[str, Any]]
    next: str | None = None


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


_ERRORS = {status: {"model": ErrorResponse} for status in (400, 404, 410)}
_ROWS_MEDIA = {"content": {"text/csv": {"schema": {"type": "string"}},
                           "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def create_api(exports_dir: Path | None = None, reports_dir: Path | None = None) -> FastAPI:
    """The API over ``exports_dir`` (default: the settings' exports) and the scorecards in ``reports_dir``."""
    if exports_dir is None:
        from sector_datasets.settings import get_settings

        settings = get_settings()
        exports_dir, reports_dir = settings.exports_dir, reports_dir or settings.reports_dir
    store = ExportStore(exports_dir, reports_dir)
    app = FastAPI(
        title="sector-datasets open data API",
        version="1.0.0",
        description=(
            "Read-only access to the published, quality-gated datasets: catalog and search, "
            "dataset dictionary and release notes, rows (filter, choose columns, sort, page) as "
            "JSON, CSV or Parquet, every kept version at a stable URL, the DCAT-AP catalog and "
            "Frictionless data packages. `latest` follows the served version. Harvesters: every "
            "answer has an ETag; send If-None-Match to get 304 when nothing changed.\n\n"
            "API đọc dữ liệu mở: danh mục, từ điển dữ liệu, các phiên bản, dòng dữ liệu."
        ),
    )
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS"],
                       allow_headers=["If-None-Match", "If-Modified-Since"], expose_headers=["ETag", "Last-Modified"])

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return error(404, str(exc))

    @app.exception_handler(Gone)
    async def _gone(_request: Request, exc: Gone) -> JSONResponse:
        return error(410, str(exc))

    @app.exception_handler(QueryError)
    async def _bad_query(_request: Request, exc: QueryError) -> JSONResponse:
        return error(400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        return error(400, f"invalid request: {problems}")

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def resolve(entry: DatasetEntry, version: str) -> Version:
        return store.served(entry) if version == "latest" else store.version(entry, int(version))


    def summary(request: Request, served: Version, dcat: dict) -> dict[str, Any]:
        m, t = served.metadata, dcat.get(served.entry.dataset_id)
        return {
            "id": served.entry.dataset_id, "sector": served.entry.sector_id, "title": m.get("title") or {},
            "version": served.number, "rows": m.get("row_count") or 0, "published_at": _iso(served.published_at),
            "licence": m.get("licence"), "themes": list(t.theme_codes) if t else [],
            "keywords": list(t.keywords) if t else [],
            "url": f"{base(request)}/datasets/{served.entry.dataset_id}",
        }

    @app.get("/", summary="What this API serves", response_model=dict[str, Any])
    def root(request: Request) -> dict[str, Any]:
        b = base(request)
        return {"datasets": f"{b}/datasets", "catalog": f"{b}/catalog.jsonld", "openapi": f"{b}/openapi.json",
                "docs": f"{b}/docs", "ckan": f"{b}/api/3/action/package_list"}

    @app.get("/datasets", response_model=DatasetList, responses=_ERRORS,
             summary="List and search the published datasets")
    def list_datasets(
        request: Request,
        q: Annotated[str | None, Query(max_length=200, description="free text, Vietnamese or English, with or without diacritics")] = None,
        sector: Annotated[str | None, Query(max_length=64)] = None,
        theme: Annotated[str | None, Query(max_length=16, description="EU data theme code, e.g. AGRI, HEAL")] = None,
        keyword: Annotated[str | None, Query(max_length=100)] = None,
    ) -> Response:
        served = [store.served(e) for e in store.entries()]
        dcat = store.dcat_terms()
        etag = etag_of("list", q, sector, theme, keyword, *(f"{v.entry.dataset_id}:{v.number}" for v in served),
                       *(sorted((k, v.keywords, v.themes) for k, v in dcat.items())))
        newest = max((v.published_at for v in served), default=None)

        def make() -> JSONResponse:
            by_id = {v.entry.dataset_id: v for v in served}
            found = ranked((s for s in (searchable(v.metadata, dcat.get(v.entry.dataset_id) or DcatTerms())
                                        for v in served)
                            if matches(s, q=q, sector=sector, theme=theme, keyword=keyword)), q)
            items = [summary(request, by_id[s.dataset_id], dcat) for s in found]
            return JSONResponse({"count": len(items), "datasets": items})

        return cached(request, etag, newest, REVALIDATE, make)

    @app.get("/datasets/{dataset_id}", responses=_ERRORS, response_model=dict[str, Any],
             summary="A dataset: dictionary, units, licence, provenance, versions, gate, maturity")
    def dataset(request: Request, dataset_id: str) -> Response:
        entry = store.entry(dataset_id)
        served = store.served(entry)
        card = store.scorecard(entry) or {}
        etag = etag_of("dataset", dataset_id, served.number, json.dumps(card, sort_keys=True, default=str))

        def make() -> JSONResponse:
            m = served.metadata
            b = f"{base(request)}/datasets/{dataset_id}"
            body = {
                **summary(request, served, store.dcat_terms()),
                "description": m.get("description"), "owner": m.get("owner"), "grain": m.get("grain"),
                "primary_key": m.get("primary_key"), "update_frequency": m.get("update_frequency"),
                "coverage": m.get("coverage"), "period_coverage": m.get("period_coverage"),
                "columns": m.get("columns"), "sources": m.get("sources"), "inputs": m.get("inputs"),
                "validation": m.get("validation"), "changes": m.get("changes"),
                "quality": {"gate": card.get("gate"), "maturity_level": card.get("level"),
                            "maturity_criteria": card.get("criteria"),
                            "metadata_quality": card.get("metadata_quality")} if card else None,
                "links": {"rows": f"{b}/rows", "csv": f"{b}/rows?format=csv", "parquet": f"{b}/rows?format=parquet",
                          "versions": f"{b}/versions", "datapackage": f"{b}/datapackage.json"},
            }
            return JSONResponse(body)

        return cached(request, etag, served.published_at, REVALIDATE, make)

    @app.get("/datasets/{dataset_id}/versions", response_model=VersionList, responses=_ERRORS,
             summary="Every version with its release note; `readable` ones have a stable URL")
    def versions(request: Request, dataset_id: str) -> Response:
        entry = store.entry(dataset_id)
        served = store.served(entry)
        history = store.history(entry)
        etag = etag_of("versions", dataset_id, served.number, json.dumps(history, sort_keys=True))

        def make() -> JSONResponse:
            out = []
            for h in history:
                number = int(h["version"])
                try:
                    v = store.version(entry, number)
                except (Gone, NotFound):
                    v = None
                note = ((v.metadata.get("changes") or {}).get("note") if v else None) or None
                out.append({
                    "version": number, "row_count": h.get("row_count"), "published_at": h.get("published_at"),
                    "served": number == served.number, "readable": v is not None, "note": note,
                    "url": f"{base(request)}/datasets/{dataset_id}/versions/{number}/rows" if v else None,
                })
            return JSONResponse({"dataset": dataset_id, "latest": served.number, "versions": out})

        return cached(request, etag, served.published_at, REVALIDATE, make)

    @app.get("/datasets/{dataset_id}/versions/{version}", responses=_ERRORS, response_model=dict[str, Any],
             summary="One version's metadata.json (release note, checksum, validation)")
    def version_metadata(request: Request, dataset_id: str,
                         version: VersionParam) -> Response:
        v = resolve(store.entry(dataset_id), version)
        etag = etag_of("metadata", dataset_id, v.number, v.metadata.get("checksum"),
                       json.dumps((v.metadata.get("changes") or {}).get("approval"), sort_keys=True, default=str))
        return cached(request, etag, v.published_at, REVALIDATE if version == "latest" else IMMUTABLE,
                      lambda: JSONResponse(v.metadata))

    def rows_response(request: Request, dataset_id: str, version: str, columns: str | None, filters: list[str],
                      sort: str | None, limit: int, offset: int, fmt: str) -> Response:
        v = resolve(store.entry(dataset_id), version)
        query = parse(v.columns, select=columns, filters=filters, sort=sort, limit=limit, offset=offset,
                      primary_key=v.metadata.get("primary_key"))
        etag = etag_of("rows", dataset_id, v.number, v.metadata.get("checksum"), query.canonical(), fmt)
        return cached(request, etag, v.published_at, REVALIDATE if version == "latest" else IMMUTABLE,
                      lambda: _render(request, v, query, fmt))

    def _render(request: Request, v: Version, query: RowQuery, fmt: str) -> Response:
        headers = {"X-Dataset-Version": str(v.number)}
        if fmt == "parquet":
            data = rows.parquet_bytes(rows.fetch_arrow(v.parquet, query))
            headers["Content-Disposition"] = f'attachment; filename="{v.entry.dataset_id}-v{v.number}.parquet"'
            return Response(data, media_type=rows.FORMATS["parquet"], headers=headers)
        page = rows.fetch(v.parquet, query)
        if fmt == "csv":
            return PlainTextResponse(rows.csv_text(page), media_type="text/csv; charset=utf-8", headers=headers)
        following = None
        if query.offset + query.limit < page.total:
            following = str(request.url.include_query_params(offset=query.offset + query.limit))
        return JSONResponse({"dataset": v.entry.dataset_id, "version": v.number, "columns": page.columns,
                             "total": page.total, "limit": query.limit, "offset": query.offset,
                             "rows": rows.records(page), "next": following}, headers=headers)

    rows_params = dict(response_model=RowsPage, responses={**_ERRORS, 200: _ROWS_MEDIA})


    @app.get("/datasets/{dataset_id}/rows", summary="Rows of the served version", **rows_params)
    def latest_rows(request: Request, dataset_id: str, columns: Columns = None, filters: Filters = [],  # noqa: B006
                    sort: Sort = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                    format: Format = "json") -> Response:
        return rows_response(request, dataset_id, "latest", columns, filters, sort, limit, offset, format)

    @app.get("/datasets/{dataset_id}/versions/{version}/rows", summary="Rows of one kept version (stable URL)",
             **rows_params)
    def version_rows(request: Request, dataset_id: str, version: VersionParam,
                     columns: Columns = None, filters: Filters = [],  # noqa: B006
                     sort: Sort = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                     format: Format = "json") -> Response:
        return rows_response(request, dataset_id, version, columns, filters, sort, limit, offset, format)

    @app.get("/datasets/{dataset_id}/datapackage.json", responses=_ERRORS, response_model=dict[str, Any],
             summary="The Frictionless data package of the served version")
    def datapackage(request: Request, dataset_id: str) -> Response:
        entry = store.entry(dataset_id)
        served = store.served(entry)
        package = store.datapackage(entry)
        etag = etag_of("datapackage", dataset_id, served.number, json.dumps(package, sort_keys=True, default=str))
        return cached(request, etag, served.published_at, REVALIDATE, lambda: JSONResponse(package))

    @app.get("/catalog.jsonld", responses={**_ERRORS, 200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}}},
             summary="The DCAT-AP catalog (JSON-LD)")
    def catalog(request: Request) -> Response:
        path = store.catalog_path()
        stat = path.stat()
        modified = datetime.fromtimestamp(stat.st_mtime, UTC)
        return cached(request, etag_of("catalog", stat.st_size, stat.st_mtime_ns), modified, REVALIDATE,
                      lambda: FileResponse(path, media_type="application/ld+json"))

    ckan.register(app, store)
    return app


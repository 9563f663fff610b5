"""A subset of the CKAN Action API (v3), so CKAN clients and harvesters work unchanged.

``package_list``, ``package_show``, ``package_search`` and ``datastore_search`` answer in CKAN's
envelope (``{"help", "success", "result"}``, errors as ``{"success": false, "error": {"__type",
"message"}}``) from the same store, search and row queries as the native routes. A dataset is a
CKAN package; its table is the datastore resource whose id is the dataset id.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

from sector_datasets.api import rows
from sector_datasets.api.http import REVALIDATE, cached, etag_of
from sector_datasets.api.query import DEFAULT_LIMIT, MAX_LIMIT, QueryError, parse
from sector_datasets.api.search import DcatTerms, matches, searchable
from sector_datasets.api.store import ExportStore, Gone, NotFound, Version

PREFIX = "/api/3/action"
_CKAN_TYPES = {"integer": "int", "number": "numeric", "date": "date", "datetime": "timestamp", "boolean": "bool"}


def _ok(request: Request, result: Any) -> JSONResponse:
    return JSONResponse({"help": str(request.url), "success": True, "result": result})


def _fail(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse({"help": "", "success": False, "error": {"__type": kind, "message": message}}, status_code=status)


def _package(base: str, v: Version, terms: DcatTerms | None) -> dict[str, Any]:
    m, ds = v.metadata, v.entry.dataset_id
    title, description = m.get("title") or {}, m.get("description") or {}
    rows_url = f"{base}/datasets/{ds}/rows"
    return {
        "id": ds, "name": ds, "title": title.get("vi") or title.get("en") or ds,
        "title_translated": title, "notes": description.get("vi") or description.get("en") or "",
        "notes_translated": description, "license_id": m.get("licence"), "license_title": m.get("licence"),
        "version": str(v.number), "metadata_modified": v.published_at.isoformat(timespec="seconds"),
        "organization": {"name": v.entry.sector_id, "title": ((m.get("sector") or {}).get("name") or {}).get("vi")},
        "tags": [{"name": k} for k in (terms.keywords if terms else ())],
        "groups": [{"name": t} for t in (terms.theme_codes if terms else ())],
        "num_resources": 2,
        "resources": [
            {"id": ds, "package_id": ds, "name": f"{ds}.csv", "format": "CSV", "datastore_active": True,
             "url": f"{rows_url}?format=csv&limit={MAX_LIMIT}"},
            {"id": f"{ds}.parquet", "package_id": ds, "name": f"{ds}.parquet", "format": "Parquet",
             "datastore_active": False, "url": f"{rows_url}?format=parquet&limit={MAX_LIMIT}"},
        ],
    }


def register(app: FastAPI, store: ExportStore) -> None:
    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")


    def served_all() -> list[Version]:
        return [store.served(e) for e in store.entries()]

    def listing_etag(name: str, *parts: object) -> str:
        return etag_of(name, *parts, *(f"{v.entry.dataset_id}:{v.number}" for v in served_all()))

    @app.get(f"{PREFIX}/package_list", tags=["CKAN"], response_model=dict[str, Any])
    def package_list(request: Request) -> Any:
        return cached(request, listing_etag("package_list"), None, REVALIDATE,
                      lambda: _ok(request, [e.dataset_id for e in store.entries()]))

    @app.get(f"{PREFIX}/package_show", tags=["CKAN"], response_model=dict[str, Any],
             responses={404: {"model": dict[str, Any]}})
    def package_show(request: Request, id: Annotated[str, Query(max_length=100)]) -> Any:
        try:
            v = store.served(store.entry(id))
        except NotFound as exc:
            return _fail(404, "Not Found Error", str(exc))
        return cached(request, etag_of("package_show", id, v.number), v.published_at, REVALIDATE,
                      lambda: _ok(request, _package(base(request), v, store.dcat_terms().get(id))))

    @app.get(f"{PREFIX}/package_search", tags=["CKAN"], response_model=dict[str, Any])
    def package_search(request: Request, q: Annotated[str | None, Query(max_length=200)] = None,
                       rows_: Annotated[int, Query(alias="rows", ge=0, le=1000)] = 10,
                       start: Annotated[int, Query(ge=0, le=10**6)] = 0) -> Any:
        def make() -> JSONResponse:
            dcat = store.dcat_terms()
            found = [v for v in served_all()
                     if matches(searchable(v.metadata, dcat.get(v.entry.dataset_id) or DcatTerms()), q=q)]
            results = [_package(base(request), v, dcat.get(v.entry.dataset_id)) for v in found[start:start + rows_]]
            return _ok(request, {"count": len(found), "results": results, "sort": "score desc",
                                 "facets": {}, "search_facets": {}})

        return cached(request, listing_etag("package_search", q, rows_, start), None, REVALIDATE, make)

    @app.get(f"{PREFIX}/datastore_search", tags=["CKAN"], response_model=dict[str, Any],
             responses={404: {"model": dict[str, Any]}, 409: {"model": dict[str, Any]}})
    def datastore_search(
        request: Request,
        resource_id: Annotated[str, Query(max_length=100)],
        filters: Annotated[str | None, Query(max_length=4000, description='JSON object {"column": value or [values]}')] = None,
        fields: Annotated[str | None, Query(max_length=2000)] = None,
        sort: Annotated[str | None, Query(max_length=2000, description='"column desc, other"')] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    ) -> Any:
        try:
            v = store.served(store.entry(resource_id))
        except (NotFound, Gone) as exc:
            return _fail(404, "Not Found Error", str(exc))
        try:
            query = parse(v.columns, select=fields, filters=_filters(filters), sort=_sort(sort), limit=limit,
                          offset=offset, primary_key=v.metadata.get("primary_key"))
        except QueryError as exc:
            return _fail(409, "Validation Error", str(exc))

        def make() -> JSONResponse:
            page = rows.fetch(v.parquet, query)
            types = {c["name"]: _CKAN_TYPES.get(c.get("type") or "", "text") for c in v.columns}
            following = str(request.url.include_query_params(offset=offset + limit))
            return _ok(request, {
                "resource_id": resource_id, "fields": [{"id": c, "type": types[c]} for c in page.columns],
                "records": rows.records(page), "total": page.total, "limit": limit, "offset": offset,
                "_links": {"start": str(request.url.remove_query_params("offset")), "next": following},
            })

        return cached(request, etag_of("datastore", resource_id, v.number, query.canonical()), v.published_at,
                      REVALIDATE, make)


def _filters(raw: str | None) -> list[str]:
    """CKAN's ``filters`` JSON → this API's ``column:op:value`` filters."""
    if not raw:
        return []
    try:
        given = json.loads(raw)
    except json.JSONDecodeError:
        raise QueryError("filters must be a JSON object, e.g. {\"year\": 2018}") from None
    if not isinstance(given, dict):
        raise QueryError("filters must be a JSON object, e.g. {\"year\": 2018}")
    out = []
    for column, value in given.items():
        values = value if isinstance(value, list) else [value]
        if not values or any(isinstance(x, (dict, list)) or x is None for x in values):
            raise QueryError(f"filters: {column!r} needs a value or a list of values")
        text = [str(x).lower() if isinstance(x, bool) else str(x) for x in values]
        if any("," in t for t in text):
            raise QueryError(f"filters: values of {column!r} may not contain ','")
        out.append(f"{column}:in:{','.join(text)}")
    return out


def _sort(raw: str | None) -> str | None:
    """CKAN's ``"a desc, b"`` → ``"-a,b"``."""
    if not raw:
        return None
    out = []
    for item in raw.split(","):
        words = item.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise QueryError(f"sort: {item.strip()!r} is not 'column [asc|desc]'")
        out.append(("-" if len(words) == 2 and words[1].lower() == "desc" else "") + words[0])
    return ",".join(out)

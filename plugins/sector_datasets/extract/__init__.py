"""Extract: fetch registry sources over HTTP (live or replayed) and land them immutably.

Typical task body::

    with replay_base_url(settings) as base_url:
        manifest = extract_source(settings, sector.id, source, run_id, base_url)
    return manifest.to_dict()  # XCom
"""

from __future__ import annotations

from sector_datasets.registry import Source
from sector_datasets.settings import Settings
from sector_datasets.extract.errors import ApiErrorBody, ExtractError, HttpGiveUp, PayloadError, PermanentHttpError
from sector_datasets.extract.http_client import (
    HttpClient,
    Page,
    fetch_source,
    source_secrets,
    source_url,
)
from sector_datasets.extract.payload import validate_payload
from sector_datasets.extract.conditional import PriorLanding
from sector_datasets.extract.landing import LandingManifest, land_pages, previous_landing, read_manifest
from sector_datasets.extract.record import record_sources
from sector_datasets.extract.replay import ReplayServer, replay_base_url

__all__ = [
    "ApiErrorBody",
    "ExtractError",
    "HttpClient",
    "HttpGiveUp",
    "LandingManifest",
    "Page",
    "PayloadError",
    "PermanentHttpError",
    "PriorLanding",
    "ReplayServer",
    "extract_source",
    "fetch_source",
    "land_pages",
    "previous_landing",
    "read_manifest",
    "record_sources",
    "replay_base_url",
    "source_secrets",
    "source_url",
    "validate_payload",
]


def extract_source(
    settings: Settings,
    sector_id: str,
    source: Source,
    run_id: str,
    base_url: str | None,
    *,
    client: HttpClient | None = None,
) -> LandingManifest:
    """Fetch all pages of ``source`` and land them under ``settings.landing_dir``.

    ``base_url`` is the replay server's URL, or None to fetch ``source.url`` live; get it from
    :func:`replay_base_url`. A passed-in ``client`` is left open for the caller to reuse.
    Pages are asked for conditionally with the validators of the source's last landing; what
    the server calls not modified is taken from there (:mod:`.conditional`). A forced run
    (``force_rebuild``) does too: it rebuilds from the same bytes a download would land.
    """
    prior = previous_landing(settings.landing_dir, sector_id, source.id, run_id)
    own_client = client is None
    http = client or HttpClient(settings)
    try:
        pages = fetch_source(http, source, sector_id, base_url, prior=prior)
    finally:
        if own_client:
            http.close()
    return land_pages(settings.landing_dir, sector_id, run_id, source, pages)

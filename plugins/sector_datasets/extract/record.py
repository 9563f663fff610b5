"""Record live payloads into a snapshot directory that the replay server can serve.

Recording is how the replay fixtures are refreshed from the real APIs (for example to capture a
genuinely multi-page World Bank response). It writes exactly the layout ``ReplayServer`` reads:
``<out_dir>/<source.snapshot>`` for page 1 and ``<stem>.page-N<suffix>`` siblings for later pages.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from sector_datasets.registry import Source
from sector_datasets.extract.errors import ExtractError
from sector_datasets.extract.http_client import HttpClient, fetch_source, source_url
from sector_datasets.extract.replay import page_file

logger = logging.getLogger(__name__)


def record_sources(
    sources: list[Source],
    out_dir: Path,
    client: HttpClient,
    *,
    overwrite: bool = False,
    sector_id: str = "record",
) -> list[Path]:
    """Fetch each source live (``source.url``) and write its pages under ``out_dir``.

    Existing files are an error unless ``overwrite`` is true, because snapshots are test
    evidence that somebody checked. A source is written only after all of its pages fetched and
    validated, so a failure never leaves a half-recorded payload.
    """
    out_dir = Path(out_dir)
    written: list[Path] = []
    for source in sources:
        first = out_dir / source.snapshots[0]
        if first.exists() and not overwrite:
            raise ExtractError(
                "refusing to overwrite an existing snapshot (pass overwrite=True to re-record)",
                sector_id=sector_id,
                source_id=source.id,
                url=source_url(source, None),
                file=first,
            )
        pages = fetch_source(client, source, sector_id, None)
        if source.releases:  # one file per release, each where its snapshot says
            targets = [out_dir / name for name in source.snapshots]
        else:
            targets = [page_file(first, page.number) for page in pages]
        if not overwrite:
            clash = next((t for t in targets if t.exists()), None)
            if clash is not None:
                raise ExtractError(
                    "refusing to overwrite an existing snapshot page (pass overwrite=True to re-record)",
                    sector_id=sector_id,
                    source_id=source.id,
                    url=pages[0].url,
                    file=clash,
                )
        for page, target in zip(pages, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(target, page.body)
            written.append(target)
        # Pages left from an older, longer recording would be served for requests that now 404.
        stale = len(pages) + 1
        while not source.releases and (old := page_file(first, stale)).exists():
            old.unlink()
            logger.info("%s: removed stale snapshot page %s", source.id, old)
            stale += 1
        logger.info("recorded %s (%d page(s)) to %s", source.id, len(pages), first)
    return written


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise

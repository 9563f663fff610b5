"""Publish: a gated audit table becomes a served, versioned, exported dataset.

* :mod:`.wap` — ``publish_dataset``, the write–audit–publish order that survives a crash;
* :mod:`.metadata` — ``metadata.json``: data dictionary and promised coverage from the contract, sources, corrections;
* :mod:`.exports` — version folders, the ``current`` symlink swap, the catalog, ``history.json``;
* :mod:`.export_files` — the Parquet, CSV and XLSX files of a version, one writer for every warehouse;
* :mod:`.serving` — rollback, pins, unpin and retention of kept versions.

The version bookkeeping these share (``meta.publications``, ``meta.current``) is
:mod:`sector_datasets.state.versions`; the file layout is :mod:`sector_datasets.state.layout`.
"""


class PublishError(RuntimeError):
    """A dataset cannot be published or served as asked (the message names the dataset)."""

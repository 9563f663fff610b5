"""The open-data read API: catalog, rows and versions of the published datasets over HTTP.

It reads the published exports only (version folders, ``current`` links, ``metadata.json``,
``history.json``, ``datapackage.json``, ``catalog.jsonld``) and the scorecards' JSON, never the
warehouse: a request never waits on a pipeline run, and because a version folder is immutable and
``current`` is swapped by one rename, every request answers from one whole version.
"""

"""``python -m sector_datasets.gate.duckdb_workaround``: does the installed GX still need it?"""

import json

from sector_datasets.gate.duckdb_workaround.upstream import probe, reflection_is_broken

print(
    json.dumps(
        {
            "unpatched": probe(False),
            "patched": probe(True),
            "reflection_is_broken": reflection_is_broken(),
        },
        indent=2,
    )
)

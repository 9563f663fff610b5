import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))


import os

import pytest


@pytest.fixture(scope="session")
def built_platform(tmp_path_factory):
    """Every registered sector built once, in-process through the real stages, in a private home.

    Yields the home folder; the environment points the stages at it for the whole session.
    """
    from sector_datasets.orchestration import inline

    home = tmp_path_factory.mktemp("built_platform")
    previous = os.environ.get("SECTOR_DATASETS_HOME")
    os.environ["SECTOR_DATASETS_HOME"] = str(home)
    try:
        outcome = inline.run_all("session_build")
        failed = {
            f"{sector}/{ds}": str(result)[:500]
            for sector, datasets in outcome.items()
            for ds, result in datasets.items()
            if isinstance(result, Exception)
        }
        assert not failed, f"datasets failed their gate on the real data: {failed}"
        yield home
    finally:
        if previous is None:
            os.environ.pop("SECTOR_DATASETS_HOME", None)
        else:
            os.environ["SECTOR_DATASETS_HOME"] = previous

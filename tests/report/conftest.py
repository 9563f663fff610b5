import pytest

from tests.report.sample_platform import Sample, build


@pytest.fixture(scope="package")
def sample(tmp_path_factory) -> Sample:
    """The sample platform, built once for the report tests (publish + gate results, no dbt)."""
    mp = pytest.MonkeyPatch()
    for var in ("SECTOR_DATASETS_EXPORTS", "SECTOR_DATASETS_WAREHOUSE"):
        mp.delenv(var, raising=False)
    yield build(tmp_path_factory.mktemp("report_sample"))
    mp.undo()

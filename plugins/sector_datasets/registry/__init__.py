"""The sector registry: ``include/sectors/*.yml`` loaded and validated into typed objects.

The registry says *what* each sector extracts and publishes; nothing else in the code base
hard-codes a sector, a source or a dataset. Validation errors name the file and the key path
so a sector owner can fix their YAML without reading Python.

``models`` is the typed model (pydantic), ``loader`` reads and cross-checks the files; this
package's namespace is the public API everyone imports from.
"""

from sector_datasets.registry.contract import Column, Geography, Promise, PublishPolicy, SeriesPromise, SourceContract
from sector_datasets.registry.loader import Registry, load_policy, load_registry, load_sector_file
from sector_datasets.registry.models import (
    DEFAULT_ALLOWED_HOSTS,
    FREQUENCY_DAYS,
    POLICY_FILE,
    Bilingual,
    CsvOptions,
    Dataset,
    KAnonymity,
    Owner,
    PersonalDataTags,
    Policy,
    RegistryError,
    Release,
    ScenarioCheck,
    Sector,
    Source,
    UsageScenario,
)

__all__ = [
    "DEFAULT_ALLOWED_HOSTS", "FREQUENCY_DAYS", "POLICY_FILE", "Bilingual", "CsvOptions", "Dataset", "KAnonymity",
    "Owner", "PersonalDataTags", "Policy", "Registry", "RegistryError", "Release", "ScenarioCheck", "Sector", "Source",
    "UsageScenario", "load_policy", "Column", "Geography", "Promise", "PublishPolicy", "SeriesPromise", "SourceContract", "load_registry", "load_sector_file",
]

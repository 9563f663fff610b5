"""Contracts: what a dataset must contain and what a source must deliver, declared once.

A dataset's contract is its registry entry: ``grain``, ``primary_key``, ``columns`` (type,
unit, bilingual description, nullability, allowed values) and ``promise`` (the series and
periods it must contain, its geography). Everything else is generated from it — the mart's
dbt yml (docs, key and not-null tests), the baseline Great Expectations suite, the Frictionless
schema, the data dictionary — so a fact about a dataset is never written twice.

A source's contract (``delivers``) lists the fields its payload must carry and their types; it
is checked when the payload is loaded, before dbt, so a renamed or retyped field fails with a
message naming sector, source and field instead of a dbt binder error.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The portable type vocabulary of contracts; gate.contract_suite maps it to each warehouse.
ColumnType = Literal["text", "integer", "double", "decimal", "boolean", "date", "timestamp"]
# Raw fields are text; a field type says what every non-missing value must cast to.
FieldType = Literal["text", "integer", "double", "date"]
ColumnName = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]{0,62}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Column(_Strict):
    name: ColumnName
    type: ColumnType
    description: Text
    unit: str | None = None
    # Contracts are strict by default: a column that may be NULL says so.
    nullable: bool = False
    # The complete set of values the column may take (a code list, a unit string, ...).
    values: list[str | bool | int] | None = None
    # An alternate key: no two rows share a value (the primary key is declared on the dataset).
    unique: bool = False
    # A foreign key into a published dataset: "<dataset>.<column>".
    references: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z_][a-z0-9_]*$")] | None = None


class SeriesPromise(_Strict):
    """How much of one series the dataset promises: at least ``min_periods`` periods."""

    min_periods: int = Field(default=1, ge=1)


class Geography(_Strict):
    text: str = Field(min_length=1)
    # The column naming the geographic unit, and how many distinct units must be present.
    column: ColumnName | None = None
    min_units: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _units_need_a_column(self) -> Geography:
        if self.min_units is not None and self.column is None:
            raise ValueError("min_units needs a column")
        return self


class Promise(_Strict):
    """The coverage a dataset promises its users; the gate checks every part of it."""

    # The period column (year, month, date, ...); every promised series is counted over it.
    period: ColumnName | None = None
    # Without series: the dataset as a whole has at least this many distinct periods.
    min_periods: int | None = Field(default=None, ge=1)
    # The column that names a series (indicator code, country, item) and the series promised.
    series_column: ColumnName | None = None
    series: dict[str, SeriesPromise] = Field(default_factory=dict)
    # True: the promised series are also the only ones allowed (a new code is a contract change).
    exhaustive: bool = False
    geography: Geography
    # A floor on rows; a lower count means a part of the data went missing.
    min_rows: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> Promise:
        if self.series and not self.series_column:
            raise ValueError("series needs series_column")
        if self.series_column and not self.series:
            raise ValueError("series_column needs the promised series")
        if (self.series or self.min_periods) and not self.period:
            raise ValueError("series and min_periods are counted over a period column: set period")
        return self

    def columns(self) -> list[str]:
        named = [self.period, self.series_column, self.geography.column]
        return [c for c in named if c]


class SourceContract(_Strict):
    """What a source's payload must deliver, checked at load (raw field names, snake_case)."""

    fields: dict[ColumnName, FieldType] = Field(min_length=1)
    # Cell texts that mean "no value" in this source besides the empty string (GSO's "..").
    missing_values: list[str] = Field(default_factory=list)


class PublishPolicy(_Strict):
    """What a new version may change without a person deciding (review.policy applies it).

    The defaults are strict, as a statistics publisher's are: only new periods (and new rows)
    publish on their own; a revised past value, a dropped row, a new or vanished series or a
    changed column set waits for the owner's approval; losing more than ``removed_share_blocks``
    of the served rows, or a promised series, is blocked outright.
    """

    # Relative change of a past numeric value (0.01 = 1 %) that still publishes on its own.
    revision_tolerance: float = Field(default=0.0, ge=0)
    # Share of the served version's rows that may disappear without approval.
    removed_share_needs_approval: float = Field(default=0.0, ge=0, le=1)
    # Share of the served version's rows whose disappearance blocks the version.
    removed_share_blocks: float = Field(default=0.5, gt=0, le=1)
    # A new series (a value of promise.series_column not served before) needs approval.
    new_series_need_approval: bool = True
    # How long an approval may wait before the version is rejected.
    approval_timeout_hours: int = Field(default=72, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> PublishPolicy:
        if self.removed_share_needs_approval >= self.removed_share_blocks:
            raise ValueError("removed_share_needs_approval must be below removed_share_blocks")
        return self

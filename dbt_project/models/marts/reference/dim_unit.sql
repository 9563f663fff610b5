-- Conformed unit dimension: this project's unit vocabulary (seed unit_vocabulary, hand-written),
-- one row per unit code used in published column-name suffixes and unit columns.
with units as (
    select * from {{ ref('unit_vocabulary') }}
)

select
    -- ids
    lower(trim(unit_code)) as unit_code,
    -- strings
    trim(symbol) as symbol,
    trim(name_en) as name_en,
    trim(name_vi) as name_vi,
    trim(quantity_kind) as quantity_kind,
    nullif(lower(trim(base_unit_code)), '') as base_unit_code,
    -- numerics
    cast(to_base_factor as float8) as to_base_factor
from units
order by quantity_kind, to_base_factor, unit_code

-- The 34 provincial units of 2025 ranked by their 2018 labour force (sum of their former
-- provinces, unit_2025_34 basis), each with the lowest and highest share of trained employed
-- workers among those former provinces (province_63 basis). A unit's own trained share cannot be
-- derived (no employed-worker counts) and is deliberately not averaged: the province range and
-- the name of the province with the lowest share are shown instead.
with units as (
    select area_code as unit_2025_code, area_name_vi as unit_2025_name_vi, labour_force_thousand, province_count
    from curated.labour_force_trained_province
    where geo_basis = 'unit_2025_34' and year = 2018
),

provinces as (
    select
        unit_2025_code,
        area_name_vi as province_name_vi,
        trained_employed_share_pct,
        row_number() over (partition by unit_2025_code order by trained_employed_share_pct, area_code) as lowest_first
    from curated.labour_force_trained_province
    where geo_basis = 'province_63' and year = 2018
),

ranges as (
    select
        unit_2025_code,
        min(trained_employed_share_pct) as lowest_province_trained_share_pct,
        max(trained_employed_share_pct) as highest_province_trained_share_pct,
        max(case when lowest_first = 1 then province_name_vi end) as lowest_trained_province_vi
    from provinces
    group by unit_2025_code
)

select
    rank() over (order by units.labour_force_thousand desc) as labour_force_rank,
    units.unit_2025_code,
    units.unit_2025_name_vi,
    units.province_count,
    units.labour_force_thousand,
    ranges.lowest_province_trained_share_pct,
    ranges.lowest_trained_province_vi,
    ranges.highest_province_trained_share_pct
from units
inner join ranges on ranges.unit_2025_code = units.unit_2025_code
order by labour_force_rank, units.unit_2025_code

-- Labour force aged 15+ and the share of trained employed workers, GSO, 2010-2018, on both
-- province bases: the 63 provinces as published and the 34 provincial units of 1 July 2025.
-- The labour force is a count: a unit's value is the sum of its provinces (NULL unless all
-- report), rounded to the source's 0.1 thousand. The trained share is a rate over EMPLOYED
-- workers, whose numbers are not in the data: it cannot be re-derived for a unit and is NULL on
-- the 34-unit basis - never an average of the provinces' shares.
with checked as (
    select * from {{ ref('int_labour_force_trained_provinces_checked') }}
),

bases as (
    select * from {{ province_bases(ref('int_labour_force_trained_provinces_checked'), ['year'], ['labour_force_thousand']) }} as b
)

select
    -- ids
    bases.geo_basis,
    bases.area_code,
    bases.year,
    -- strings
    bases.area_name_vi,
    bases.unit_2025_code,
    bases.unit_2025_name_vi,
    -- numerics
    {{ sd_round('bases.labour_force_thousand', 1) }} as labour_force_thousand,
    case when bases.geo_basis = 'province_63' then checked.trained_share_pct end as trained_employed_share_pct,
    bases.province_count,
    bases.provinces_reporting
from bases
left join checked
    on bases.geo_basis = 'province_63'
    and checked.province_code = bases.area_code
    and checked.year = bases.year
order by bases.geo_basis, bases.area_code, bases.year

-- Area, average population and density by province, 2011-2022, on both province bases: the 63
-- provinces as GSO published them and the 34 post-2025 units (sums of their provinces). Density is
-- re-derived from the (summed) population and area on both bases, never averaged; GSO's own
-- rounded density is kept beside it on the 63-province basis.
with published as (
    select * from {{ province_code_name_checked(ref('stg_gso__population_area_province'), 'population_area_density_province',
        ['year', 'area_km2', 'population_thousand', 'density_published']) }} as checked
),

bases as (
    select * from {{ province_bases('(select province_code, year, population_thousand, area_km2 from published)', ['year'], ['population_thousand', 'area_km2']) }} as summed
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
    -- sums of doubles: rounded to the files' two decimals so that 63-province sums read as published
    {{ sd_round('bases.population_thousand', 2) }} as population_thousand,
    {{ sd_round('bases.area_km2', 2) }} as area_km2,
    {{ sd_round('bases.population_thousand * 1000 / nullif(bases.area_km2, 0)', 1) }} as density_per_km2,
    published.density_published,
    bases.province_count,
    bases.provinces_reporting
from bases
left join published
    on bases.geo_basis = 'province_63'
    and published.province_code = bases.area_code
    and published.year = bases.year
order by bases.geo_basis, bases.year, bases.area_code

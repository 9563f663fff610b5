-- GRDP per capita by province, 2018-2022, on both province bases. GSO computes GRDP per capita as
-- GRDP / average population, so each province's GRDP is recovered as per-capita value x the
-- population of the same year (population_area_density_province); a 2025 unit's GRDP is the sum of
-- its provinces' and its per-capita value is that sum / the unit's population - a
-- population-weighted figure, never a plain average of provincial per-capita values.
with published as (
    select * from {{ province_code_name_checked(ref('stg_gso__grdp_per_capita_province'), 'grdp_per_capita_province',
        ['year', 'grdp_per_capita_million_vnd']) }} as checked
),

population as (
    select * from {{ ref('population_area_density_province') }}
    where geo_basis = 'province_63'
),

provinces as (
    select
        published.province_code,
        published.year,
        -- million VND per person x thousand persons = billion VND
        published.grdp_per_capita_million_vnd * population.population_thousand as grdp_billion_vnd,
        population.population_thousand
    from published
    left join population
        on population.area_code = published.province_code
        and population.year = published.year
),

bases as (
    select * from {{ province_bases('(select * from provinces)', ['year'], ['grdp_billion_vnd', 'population_thousand']) }} as summed
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
    case
        when bases.geo_basis = 'province_63' then published.grdp_per_capita_million_vnd
        else {{ sd_round('bases.grdp_billion_vnd / nullif(bases.population_thousand, 0)', 2) }}
    end as grdp_per_capita_million_vnd,
    {{ sd_round('bases.grdp_billion_vnd', 0) }} as grdp_billion_vnd,
    {{ sd_round('bases.population_thousand', 2) }} as population_thousand,
    bases.geo_basis = 'unit_2025_34' as is_population_weighted,
    bases.province_count,
    bases.provinces_reporting
from bases
left join published
    on bases.geo_basis = 'province_63'
    and published.province_code = bases.area_code
    and published.year = bases.year
order by bases.geo_basis, bases.year, bases.area_code

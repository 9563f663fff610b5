-- One row per post-2025 provincial unit. Counts are of published rows; rice production is the
-- sum over the unit's pre-2025 provinces that report it, flagged complete only if all report.
with

provinces as (select * from {{ source('curated', 'dim_province') }}),
rice as (select * from {{ source('curated', 'agri_rice_province') }} where year = 2017),
stations as (select * from {{ source('curated', 'environment_air_quality_stations') }}),
heritage as (select * from {{ source('curated', 'tourism_world_heritage_sites') }}),
-- the 34-unit rows of the province tables: already summed and re-derived by unit, never averaged here
population as (
    select * from {{ source('curated', 'population_area_density_province') }}
    where geo_basis = 'unit_2025_34' and year = 2022
),
grdp as (
    select * from {{ source('curated', 'grdp_per_capita_province') }}
    where geo_basis = 'unit_2025_34' and year = 2022
),
health as (
    select * from {{ source('curated', 'health_establishments_province') }}
    where geo_basis = 'unit_2025_34' and year = 2017
),

units as (
    select
        unit_2025_code,
        max(unit_2025_name_vi) as unit_2025_name_vi,
        count(*) as merged_province_count,
        string_agg(province_name_vi, ', ' order by province_code) as merged_province_names_vi
    from provinces
    group by unit_2025_code
),

rice_by_unit as (
    select
        provinces.unit_2025_code,
        sum(rice.production_t) as rice_production_2017_t,
        count(rice.province_code) as rice_reporting_province_count
    from provinces
    left join rice on rice.province_code = provinces.province_code
    group by provinces.unit_2025_code
),

stations_by_unit as (
    select province_code_2025 as unit_2025_code, count(*) as air_quality_station_count
    from stations
    group by province_code_2025
),

heritage_by_unit as (
    select unit_2025_code, count(*) as world_heritage_site_count
    from heritage
    where unit_2025_code is not null
    group by unit_2025_code
)

select
    units.unit_2025_code,
    units.unit_2025_name_vi,
    units.merged_province_count,
    units.merged_province_names_vi,
    case when rice_by_unit.rice_reporting_province_count > 0 then rice_by_unit.rice_production_2017_t end
        as rice_production_2017_t,
    rice_by_unit.rice_reporting_province_count = units.merged_province_count as rice_production_is_complete,
    coalesce(stations_by_unit.air_quality_station_count, 0) as air_quality_station_count,
    coalesce(heritage_by_unit.world_heritage_site_count, 0) as world_heritage_site_count,
    population.population_thousand as population_2022_thousand,
    population.area_km2 as area_2022_km2,
    population.density_per_km2 as density_2022_per_km2,
    grdp.grdp_per_capita_million_vnd as grdp_per_capita_2022_million_vnd,
    health.establishments_per_10k_people as health_establishments_2017_per_10k_people
from units
left join rice_by_unit on rice_by_unit.unit_2025_code = units.unit_2025_code
left join stations_by_unit on stations_by_unit.unit_2025_code = units.unit_2025_code
left join heritage_by_unit on heritage_by_unit.unit_2025_code = units.unit_2025_code
left join population on population.area_code = units.unit_2025_code
left join grdp on grdp.area_code = units.unit_2025_code
left join health on health.area_code = units.unit_2025_code
order by units.unit_2025_code

-- Health establishments under provincial departments of health by province, 2005-2017, on the 63
-- pre-2025 provinces and the 34 post-2025 units (counts summed through dim_province's crosswalk),
-- with establishments per 10,000 people from the platform's population table of the same year and
-- basis (2011 onwards; no population before). Country and region rows of 2005-2010 are dropped;
-- the former Ha Tay (merged into Ha Noi in 2008) is added to Ha Noi for 2005-2007 so that every
-- year is on the same boundaries, and flagged.
with staged as (
    select * from {{ ref('stg_gso__health_establishments_province') }}
),

coded_as_published as (
    -- rows with a code only: the country, regions and Ha Tay have none
    select * from {{ province_code_name_checked(
        '(select * from ' ~ ref('stg_gso__health_establishments_province') ~ ' where province_code is not null)',
        'health_establishments_province',
        ['year', 'establishments_total', 'hospitals', 'regional_polyclinics', 'rehabilitation_hospitals',
         'commune_health_stations', 'not_available_cells']) }} as checked
),

coded as (
    -- Where the commune stations (about 95 % of all establishments) are "..", GSO's total counts
    -- only the other types (Thai Binh 2012: 24 against about 310 every other year): it is withheld.
    select
        province_code,
        year,
        case when commune_health_stations is not null then establishments_total end as establishments_total,
        hospitals,
        regional_polyclinics,
        rehabilitation_hospitals,
        commune_health_stations,
        not_available_cells
    from coded_as_published
),

ha_tay as (
    select *
    from staged
    where province_code is null
        and {{ vn_name_key('province_name_raw') }} = {{ vn_name_key("'Ha Tay'") }}
        and year <= 2007
),

provinces as (
    select
        coded.province_code,
        coded.year,
        {%- for col in ['establishments_total', 'hospitals', 'regional_polyclinics', 'rehabilitation_hospitals', 'commune_health_stations'] %}
        case when ha_tay.year is null then coded.{{ col }} else coded.{{ col }} + ha_tay.{{ col }} end as {{ col }},
        {%- endfor %}
        coded.not_available_cells + coalesce(ha_tay.not_available_cells, 0) as not_available_cells
    from coded
    left join ha_tay
        on coded.province_code = '01'
        and ha_tay.year = coded.year
),

bases as (
    select * from {{ province_bases('(select * from provinces)', ['year'],
        ['establishments_total', 'hospitals', 'regional_polyclinics', 'rehabilitation_hospitals',
         'commune_health_stations', 'not_available_cells']) }} as summed
),

population as (
    select * from {{ ref('population_area_density_province') }}
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
    cast(bases.establishments_total as integer) as establishments_total,
    cast(bases.hospitals as integer) as hospitals,
    cast(bases.regional_polyclinics as integer) as regional_polyclinics,
    cast(bases.rehabilitation_hospitals as integer) as rehabilitation_hospitals,
    cast(bases.commune_health_stations as integer) as commune_health_stations,
    population.population_thousand,
    {{ sd_round('bases.establishments_total * 10.0 / nullif(population.population_thousand, 0)', 2) }}
        as establishments_per_10k_people,
    {{ sd_round('bases.hospitals * 100.0 / nullif(population.population_thousand, 0)', 2) }}
        as hospitals_per_100k_people,
    -- booleans
    bases.establishments_total >= coalesce(bases.hospitals, 0) + coalesce(bases.regional_polyclinics, 0)
        + coalesce(bases.rehabilitation_hospitals, 0) + coalesce(bases.commune_health_stations, 0)
        as total_covers_listed_types,
    bases.year in (2016, 2017) as clinic_columns_swapped_in_source,
    bases.year <= 2007 and bases.unit_2025_code = '01' as includes_former_ha_tay,
    cast(bases.not_available_cells as integer) as not_available_cells,
    cast(bases.province_count as integer) as province_count,
    cast(bases.provinces_reporting as integer) as provinces_reporting
from bases
left join population
    on population.geo_basis = bases.geo_basis
    and population.area_code = bases.area_code
    and population.year = bases.year
order by bases.geo_basis, bases.year, bases.area_code

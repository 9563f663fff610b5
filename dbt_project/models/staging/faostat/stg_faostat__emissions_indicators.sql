-- FAOSTAT emissions indicators (bulk Climate_change_Emissions_indicators, as extracted by
-- rajaoberison/publicdata scripts/faostat_em.R), Viet Nam only, one row per element x item x year.
-- Handled here:
--   * World rows (Area = "World") and South-eastern Asia rows (ISO3 and Area = "NA": unweighted
--     means of the region's countries computed by the extract script, not FAO figures) dropped;
--   * literal "NA" -> NULL; the always-empty EBRD Region column is not carried over;
--   * the mixed unit column split into a measure name carrying the unit:
--     t/cap -> t CO2eq per capita, kg/Int$ -> kg CO2eq per international dollar of agricultural
--     production value, t/ha -> t CO2eq per hectare of agricultural land. An unknown unit gives a
--     NULL measure (tested), never a silently mixed column.
-- Items overlap (IPCC sectors, their totals and FAO agrifood aggregates side by side): the Group,
-- sector and agrifood flags are kept so users do not sum across them.
with source as (
    select * from {{ source('faostat', 'emissions_indicators') }}
),

renamed as (
    select
        -- ids
        nullif(trim(iso3), 'NA') as country_iso3,
        -- strings
        nullif(trim(area), 'NA') as country_name,
        nullif(trim(element), 'NA') as element,
        nullif(trim(item), 'NA') as item,
        nullif(trim(unit), 'NA') as unit_raw,
        nullif(trim("group"), 'NA') as item_group,
        lower(trim(sector)) = 'yes' as is_ipcc_sector,
        lower(trim(agrifood)) = 'yes' as is_agrifood_component,
        -- numerics
        try_cast(nullif(trim(value), 'NA') as double) as value,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
),

cleaned as (
    select
        country_iso3,
        country_name,
        element,
        item,
        unit_raw,
        case
            when element = 'Emissions per capita' and unit_raw = 't/cap'
                then 'emissions_t_co2eq_per_capita'
            when element = 'Emissions per value of agricultural production' and unit_raw = 'kg/Int$'
                then 'emissions_kg_co2eq_per_intl_dollar'
            when element = 'Emissions per area of agricultural land' and unit_raw = 't/ha'
                then 'emissions_t_co2eq_per_ha'
        end as measure,
        item_group,
        is_ipcc_sector,
        is_agrifood_component,
        value,
        year,
        _loaded_at
    from renamed
    where country_iso3 = 'VNM'
)

select * from cleaned

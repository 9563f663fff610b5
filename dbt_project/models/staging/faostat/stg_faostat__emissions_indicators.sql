-- FAOSTAT emissions indicators (bulk Climate_change_Emissions_indicators, as extracted by
-- rajaoberison/publicdata scripts/faostat_em.R), Viet Nam only, one row per element x item x year.
-- Handled here:
--   * Viet Nam's rows with "NA" -> NULL (shared first step, macros/faostat.sql: World rows and
--     South-eastern Asia rows, unweighted means of the region's countries computed by the extract
--     script, not FAO figures, are dropped); the always-empty EBRD Region column is not carried over;
--   * the mixed unit column split into a measure name carrying the unit:
--     t/cap -> t CO2eq per capita, kg/Int$ -> kg CO2eq per international dollar of agricultural
--     production value, t/ha -> t CO2eq per hectare of agricultural land. An unknown unit gives a
--     NULL measure (tested), never a silently mixed column.
-- Items overlap (IPCC sectors, their totals and FAO agrifood aggregates side by side): the Group,
-- sector and agrifood flags are kept so users do not sum across them.
with renamed as (
    {{ faostat_viet_nam_rows(
        'emissions_indicators',
        columns={'element': 'element', 'item': 'item', 'unit_raw': 'unit', 'item_group': '"group"'},
        flags={'is_ipcc_sector': 'sector', 'is_agrifood_component': 'agrifood'},
    ) }}
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
        value_raw as value,
        year,
        _loaded_at
    from renamed
)

select * from cleaned

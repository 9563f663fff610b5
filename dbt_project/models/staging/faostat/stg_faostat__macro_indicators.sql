-- FAOSTAT Macro Indicators (MK), Viet Nam only: one row per item x measure x year.
-- Handled here: Viet Nam's rows with "NA" -> NULL (shared first step, macros/faostat.sql; World
-- and South-eastern Asia rows dropped; an empty unit is NULL too); the mixed unit column is never
-- used as a number's unit on its own: each element/unit pair is mapped to a measure whose name
-- carries the unit (million SLC, the standard local currency, is Viet Nam dong for VNM rows, hence
-- "vnd"). A pair not listed here gives a NULL measure and fails the not_null test instead of being
-- mixed with another unit. The extract writes float noise (9.1857780000000009): values are rounded
-- to 6 decimals, the precision FAOSTAT publishes.
with renamed as (
    {{ faostat_viet_nam_rows(
        'macro_indicators',
        columns={'item_name': 'item', 'element': 'element'},
        extras=["nullif(nullif(trim(unit), 'NA'), '') as unit_raw"],
    ) }}
),

cleaned as (
    select
        country_iso3,
        country_name,
        case item_name
            when 'Gross Domestic Product' then 'gdp'
            when 'Gross National Income' then 'gni'
            when 'Value Added (Agriculture, Forestry and Fishing)' then 'va_agriculture_forestry_fishing'
            when 'Value Added (Total Manufacturing)' then 'va_manufacturing'
        end as item_code,
        item_name,
        element,
        unit_raw,
        case
            -- levels
            when element = 'Value US$' and unit_raw = 'million USD' then 'value_usd_million'
            when element = 'Value US$, 2015 prices' and unit_raw = 'million USD' then 'value_usd_million_2015_prices'
            when element = 'Value Standard Local Currency' and unit_raw = 'million SLC' then 'value_vnd_million'
            when element = 'Value Standard Local Currency, 2015 prices' and unit_raw = 'million SLC' then 'value_vnd_million_2015_prices'
            when element = 'Value US$ per capita' and unit_raw = 'USD' then 'value_usd_per_capita'
            when element = 'Value US$ per capita, 2015 prices' and unit_raw = 'USD' then 'value_usd_per_capita_2015_prices'
            -- growth rates
            when element = 'Annual growth US$' and unit_raw = '%' then 'growth_usd_pct'
            when element = 'Annual growth US$, 2015 prices' and unit_raw = '%' then 'growth_usd_2015_prices_pct'
            when element = 'Annual growth Standard Local Currency' and unit_raw = '%' then 'growth_vnd_pct'
            when element = 'Annual growth Standard Local Currency, 2015 prices' and unit_raw = '%' then 'growth_vnd_2015_prices_pct'
            when element = 'Annual growth US$ per capita' and unit_raw = '%' then 'growth_usd_per_capita_pct'
            when element = 'Annual growth US$ per capita, 2015 prices' and unit_raw = '%' then 'growth_usd_per_capita_2015_prices_pct'
            -- shares of GDP
            when element = 'Share of GDP US$' and unit_raw = '%' then 'share_of_gdp_usd_pct'
            when element = 'Share of GDP US$, 2015 prices' and unit_raw = '%' then 'share_of_gdp_usd_2015_prices_pct'
            when element = 'Share of GDP Standard Local Currency' and unit_raw = '%' then 'share_of_gdp_vnd_pct'
            when element = 'Share of GDP Standard Local Currency, 2015 prices' and unit_raw = '%' then 'share_of_gdp_vnd_2015_prices_pct'
            -- ratios (no unit upstream)
            when element = 'Ratio of Value Added (Agriculture, Forestry and Fishing) US$' and unit_raw is null then 'ratio_to_va_agriculture_usd'
            when element = 'Ratio of Value Added (Agriculture, Forestry and Fishing) Standard Local Currency' and unit_raw is null then 'ratio_to_va_agriculture_vnd'
        end as measure,
        {{ sd_round('value_raw', 6) }} as value,
        year,
        _loaded_at
    from renamed
)

select * from cleaned

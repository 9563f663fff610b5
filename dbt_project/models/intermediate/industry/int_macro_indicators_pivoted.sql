-- FAOSTAT Macro Indicators for Viet Nam, one row per item (GDP, GNI, agriculture and
-- manufacturing value added) x year, with every measure in its own column named after its unit.
-- Shared by industry_value_added and industry_macro_context so the measure list lives once.
-- A measure FAOSTAT gives as "NA" stays NULL (manufacturing and GNI in 2024).
{%- set measures = [
    'value_usd_million', 'value_usd_million_2015_prices',
    'value_vnd_million', 'value_vnd_million_2015_prices',
    'value_usd_per_capita', 'value_usd_per_capita_2015_prices',
    'growth_usd_pct', 'growth_usd_2015_prices_pct',
    'growth_vnd_pct', 'growth_vnd_2015_prices_pct',
    'growth_usd_per_capita_pct', 'growth_usd_per_capita_2015_prices_pct',
    'share_of_gdp_usd_pct', 'share_of_gdp_usd_2015_prices_pct',
    'share_of_gdp_vnd_pct', 'share_of_gdp_vnd_2015_prices_pct',
    'ratio_to_va_agriculture_usd', 'ratio_to_va_agriculture_vnd',
] %}
with macro as (
    select * from {{ ref('stg_faostat__macro_indicators') }}
),

pivoted as (
    select
        -- ids
        item_code,
        year,
        -- strings
        max(item_name) as item_name,
        -- numerics: one column per measure (unit in the name)
        {%- for measure in measures %}
        max(case when measure = '{{ measure }}' then value end) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from macro
    group by item_code, year
)

select * from pivoted

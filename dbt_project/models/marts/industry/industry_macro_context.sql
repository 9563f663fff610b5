-- Macro-economic context for industry and trade, Viet Nam, one row per year: GDP in current US$
-- and CPI inflation from the World Bank WDI, and real GDP growth from FAOSTAT (annual growth of
-- GDP at constant 2015 prices in local currency; WDI's own growth series is not in the
-- snapshot). A year is kept when at least one of the three is reported; a missing series is
-- NULL for that year, never zero.
with gdp as (
    select year, value as gdp_current_usd
    from {{ ref('stg_worldbank__gdp_total') }}
    where country_iso3 = 'VNM' and value is not null
),

inflation as (
    select year, value as inflation_cpi_pct
    from {{ ref('stg_worldbank__inflation') }}
    where country_iso3 = 'VNM' and value is not null
),

real_growth as (
    select year, growth_vnd_2015_prices_pct as gdp_real_growth_pct
    from {{ ref('int_macro_indicators_pivoted') }}
    where item_code = 'gdp' and growth_vnd_2015_prices_pct is not null
),

years as (
    select year from gdp
    union
    select year from inflation
    union
    select year from real_growth
),

final as (
    select
        -- ids
        years.year,
        -- numerics
        gdp.gdp_current_usd,
        real_growth.gdp_real_growth_pct,
        inflation.inflation_cpi_pct
    from years
    left join gdp on gdp.year = years.year
    left join inflation on inflation.year = years.year
    left join real_growth on real_growth.year = years.year
)

select * from final
order by year

-- Kaggle "Tourism and economic impact" (WDI-derived), Viet Nam, one row per year 1999-2023.
-- Counts and US$ amounts arrive as float text ("1782000.0", "1400000000.0"): they are read as
-- numbers and stored as whole numbers (BIGINT) for arrivals and receipts; GDP keeps its cents.
-- An empty field is "not reported" (NULL), never zero: tourism_departures is empty in every row
-- and arrivals, receipts and both tourism shares are empty for 2021-2023.
with source as (
    select * from {{ source('kaggle', 'tourism_economy') }}
),

renamed as (
    select
        -- ids
        nullif(trim(country_code), '') as country_iso3,
        -- strings
        nullif(trim(country), '') as country_name,
        -- numerics: counts (float text → whole numbers)
        cast({{ sd_try_cast("nullif(trim(tourism_arrivals), '')", 'double') }} as bigint) as international_arrivals,
        cast({{ sd_try_cast("nullif(trim(tourism_departures), '')", 'double') }} as bigint) as international_departures,
        -- numerics: current US$
        cast({{ sd_try_cast("nullif(trim(tourism_receipts), '')", 'double') }} as bigint) as tourism_receipts_usd,
        {{ sd_try_cast("nullif(trim(gdp), '')", 'double') }} as gdp_usd,
        -- numerics: percentages
        {{ sd_try_cast("nullif(trim(tourism_exports), '')", 'double') }} as tourism_receipts_pct_exports,
        {{ sd_try_cast("nullif(trim(tourism_expenditures), '')", 'double') }} as tourism_expenditures_pct_imports,
        {{ sd_try_cast("nullif(trim(inflation), '')", 'double') }} as inflation_cpi_pct,
        {{ sd_try_cast("nullif(trim(unemployment), '')", 'double') }} as unemployment_pct,
        -- dates
        {{ sd_try_cast("nullif(trim(year), '')", 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

-- Current health expenditure (% of GDP) for countries only, one row per country x reported year.
-- The bulk CSV mixes ~48 aggregates (World, regions, income and lending groups) with countries;
-- aggregates are the economies with no region in the World Bank country metadata, and an economy
-- missing from the metadata altogether (INX "Not classified") is dropped by the inner join too.
-- Years with an empty cell (not reported) are dropped: a missing year is not a zero.
with expenditure as (
    select * from {{ ref('stg_worldbank__health_expenditure_bulk') }}
),

countries as (
    select * from {{ ref('stg_worldbank__country_metadata') }}
    where not is_aggregate
),

joined as (
    select
        -- ids
        expenditure.country_code as country_iso3,
        expenditure.indicator_code,
        -- strings
        countries.country_name,
        countries.region,
        countries.income_group,
        -- numerics
        expenditure.value as health_expenditure_pct_gdp,
        -- dates
        expenditure.year
    from expenditure
    inner join countries
        on countries.country_code = expenditure.country_code
    where expenditure.value is not null
)

select * from joined

-- Unemployment (% of labour force, modelled ILO estimate) for countries only, one row per
-- country x reported year. The bulk CSV mixes 48 aggregates (World, regions, income and lending
-- groups) with countries; aggregates are the economies with no region in the World Bank country
-- metadata (source wb_country_metadata, declared by the health sector), and an economy missing
-- from the metadata altogether (INX "Not classified") is dropped by the inner join too. Years
-- with an empty cell (not reported; every year before 1991) are dropped: a missing year is not
-- a zero.
with unemployment as (
    select * from {{ ref('stg_worldbank__unemployment_bulk') }}
),

countries as (
    select * from {{ ref('stg_worldbank__country_metadata') }}
    where not is_aggregate
),

joined as (
    select
        -- ids
        unemployment.country_code as country_iso3,
        unemployment.indicator_code,
        -- strings
        countries.country_name,
        countries.region,
        countries.income_group,
        -- numerics
        unemployment.value as unemployment_rate_pct,
        -- dates
        unemployment.year
    from unemployment
    inner join countries
        on countries.country_code = unemployment.country_code
    where unemployment.value is not null
)

select * from joined

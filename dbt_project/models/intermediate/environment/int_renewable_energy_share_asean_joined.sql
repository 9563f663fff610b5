-- Renewable energy share of final energy consumption (EG.FEC.RNEW.ZS) for the ASEAN member
-- states, one row per country x reported year. Viet Nam comes from its own Indicators API
-- source; the other members from the all-countries bulk CSV, restricted to economies the World
-- Bank country metadata lists with a region (aggregates have none). vnm_bulk_value carries the
-- bulk file's Viet Nam value next to the API value so a disagreement between the two downloads is
-- visible (tested); the API value is the one published.
with bulk as (
    select * from {{ ref('stg_worldbank__renewable_energy_share_bulk') }}
),

api as (
    select * from {{ ref('stg_worldbank__renewable_energy_share') }}
),

-- the other ASEAN members (shared seed asean_members), countries only and reported years only,
-- as for every WDI bulk CSV
peers as (
    select
        countries.country_iso3,
        countries.country_name,
        countries.indicator_code,
        countries.year,
        countries.value,
        cast(null as float8) as vnm_bulk_value
    from ({{ worldbank_bulk_countries('stg_worldbank__renewable_energy_share_bulk', 'value') }}) as countries
    inner join {{ ref('asean_members') }} as asean_members
        on asean_members.country_iso3 = countries.country_iso3
    where countries.country_iso3 <> 'VNM'
),

viet_nam as (
    select
        api.country_iso3,
        api.country_name,
        api.indicator_id as indicator_code,
        api.year,
        api.value,
        bulk.value as vnm_bulk_value
    from api
    left join bulk
        on bulk.country_code = api.country_iso3
        and bulk.year = api.year
    where api.value is not null
)

select * from viet_nam
union all
select * from peers

-- Viet Nam, one row per year: agricultural land share (World Bank WDI AG.LND.AGRI.ZS) and
-- fertilizer use per hectare of arable land (OWID / FAO via WDI, 2002-2014 only), joined on year.
-- Years where neither source reports a value (WDI nulls: 1960, 2024) are dropped.
with agri_land as (
    select year, value as agricultural_land_pct
    from {{ ref('stg_worldbank__agri_land') }}
    where value is not null
),

fertilizer as (
    select year, fertilizer_kg_per_ha_arable_land
    from {{ ref('stg_owid__fertilizer') }}
    where fertilizer_kg_per_ha_arable_land is not null
)

select
    -- ids
    coalesce(agri_land.year, fertilizer.year) as year,
    -- numerics
    agri_land.agricultural_land_pct,
    fertilizer.fertilizer_kg_per_ha_arable_land
from agri_land
full outer join fertilizer
    on agri_land.year = fertilizer.year
order by year

-- Employment in industry as a share of total employment, Viet Nam (ILO modelled estimates via
-- the World Bank WDI, SL.IND.EMPL.ZS), one row per year. Years without a published value are
-- left out, not zero-filled.
with employment as (
    select * from {{ ref('stg_worldbank__industry_employment') }}
)

select
    -- ids
    year,
    -- numerics
    value as industry_employment_pct
from employment
where country_iso3 = 'VNM'
    and value is not null
order by year

-- Employment by broad economic sector (modelled ILO estimates, World Bank WDI), Viet Nam, one
-- row per sector x reported year: agriculture (SL.AGR.EMPL.ZS) and services (SL.SRV.EMPL.ZS)
-- from this sector's sources, industry (SL.IND.EMPL.ZS) from the industry sector's source
-- wb_industry_employment_vnm (listed in reference_sources, staged by the industry sector).
-- year_total_pct adds the three shares of the year: they partition employment, so it must be
-- 100 within rounding; the test on it warns when a sector is missing or the shares drift.
with indicators as (
    select 'agriculture' as sector, * from {{ ref('stg_worldbank__agriculture_employment') }}
    union all
    select 'industry' as sector, * from {{ ref('stg_worldbank__industry_employment') }}
    union all
    select 'services' as sector, * from {{ ref('stg_worldbank__services_employment') }}
),

reported as (
    select
        -- ids
        sector,
        indicator_id as indicator_code,
        -- numerics
        value as employment_share_pct,
        -- dates
        year
    from indicators
    where country_iso3 = 'VNM'
        and value is not null
),

checked as (
    select
        *,
        sum(employment_share_pct) over (partition by year) as year_total_pct,
        count(*) over (partition by year) as year_sector_count
    from reported
)

select * from checked

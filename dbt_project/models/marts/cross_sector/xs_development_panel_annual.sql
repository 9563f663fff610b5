-- One row per year, one column per published indicator. Values are copied from the curated
-- inputs, never recomputed; long inputs are pivoted with an explicit indicator filter each.
with

macro as (select * from {{ source('curated', 'industry_macro_context') }}),
agri as (select * from {{ source('curated', 'agri_land_and_fertilizer') }}),
mortality as (select * from {{ source('curated', 'health_mortality_indicators') }}),
unemployment as (select * from {{ source('curated', 'labour_unemployment_rate') }}),
employment as (select * from {{ source('curated', 'labour_employment_by_sector') }}),
trade as (select * from {{ source('curated', 'trade_openness_indicators') }}),
tourism as (select * from {{ source('curated', 'tourism_economy_indicators') }}),

health_wide as (
    select
        year,
        max(case when indicator_code = 'SP.DYN.LE00.IN' then value end) as life_expectancy_years,
        max(case when indicator_code = 'SH.DYN.MORT' then value end) as under5_mortality_per_1000_live_births
    from mortality
    group by year
),

employment_wide as (
    select
        year,
        max(case when sector = 'agriculture' then employment_share_pct end) as employment_agriculture_pct,
        max(case when sector = 'industry' then employment_share_pct end) as employment_industry_pct,
        max(case when sector = 'services' then employment_share_pct end) as employment_services_pct
    from employment
    group by year
),

trade_wide as (
    select
        year,
        max(case when indicator_code = 'NE.EXP.GNFS.ZS' then value end) as exports_pct_gdp,
        max(case when indicator_code = 'NE.IMP.GNFS.ZS' then value end) as imports_pct_gdp,
        max(case when indicator_code = 'BX.KLT.DINV.CD.WD' then value end) as fdi_net_inflows_usd
    from trade
    group by year
),

years as (
    select year from macro
    union select year from agri
    union select year from health_wide
    union select year from unemployment
    union select year from employment_wide
    union select year from trade_wide
    union select year from tourism
),

joined as (
    select
        years.year,
        -- economy
        macro.gdp_current_usd,
        macro.inflation_cpi_pct,
        trade_wide.exports_pct_gdp,
        trade_wide.imports_pct_gdp,
        trade_wide.fdi_net_inflows_usd,
        -- agriculture
        agri.agricultural_land_pct,
        -- health
        health_wide.life_expectancy_years,
        health_wide.under5_mortality_per_1000_live_births,
        -- labour
        unemployment.unemployment_rate_pct,
        employment_wide.employment_agriculture_pct,
        employment_wide.employment_industry_pct,
        employment_wide.employment_services_pct,
        -- tourism
        tourism.international_arrivals,
        tourism.tourism_receipts_usd
    from years
    left join macro on macro.year = years.year
    left join agri on agri.year = years.year
    left join health_wide on health_wide.year = years.year
    left join unemployment on unemployment.year = years.year
    left join employment_wide on employment_wide.year = years.year
    left join trade_wide on trade_wide.year = years.year
    left join tourism on tourism.year = years.year
)

select * from joined
order by year

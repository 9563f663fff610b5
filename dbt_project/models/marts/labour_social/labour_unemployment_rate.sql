-- Viet Nam's unemployment rate (% of total labour force, modelled ILO estimate, World Bank WDI
-- SL.UEM.TOTL.ZS), one row per year the World Bank reports (1991 onwards). Years without a value
-- are left out, not zero-filled.
with unemployment as (
    select * from {{ ref('stg_worldbank__unemployment') }}
),

final as (
    select
        -- dates
        year,
        -- numerics
        value as unemployment_rate_pct
    from unemployment
    where country_iso3 = 'VNM'
        and indicator_id = 'SL.UEM.TOTL.ZS'
        and value is not null
)

select * from final
order by year

-- Viet Nam's international tourism in the economy (World Bank WDI series as compiled on Kaggle),
-- one row per year 1999-2023: arrivals, receipts in current US$, receipts as a share of exports,
-- expenditures abroad as a share of imports, with GDP and consumer-price inflation for context.
-- Not published: tourism departures (empty in every source row) and the source's unemployment
-- column (an older WDI release with gaps; see labour_unemployment_rate). Years where the source
-- has no tourism values (2021-2023) stay in with NULLs: not reported is not zero.
with economy as (
    select * from {{ ref('stg_kaggle__tourism_economy') }}
    where country_iso3 = 'VNM'
),

final as (
    select
        -- dates
        year,
        -- numerics: tourism
        international_arrivals,
        tourism_receipts_usd,
        tourism_receipts_pct_exports,
        tourism_expenditures_pct_imports,
        -- numerics: economy context
        gdp_usd,
        inflation_cpi_pct
    from economy
)

select * from final
order by year

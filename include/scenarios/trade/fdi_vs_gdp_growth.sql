-- FDI net inflows against GDP: year-on-year growth of FDI (current US$) next to real GDP growth,
-- and FDI as % of GDP. GDP in current US$ breaks between 2009 and 2010 (revised national
-- accounts), so growth is compared with real GDP growth, not with the change in the US$ level.
with fdi as (
    select year, value as fdi_usd
    from curated.trade_openness_indicators
    where indicator_code = 'BX.KLT.DINV.CD.WD'
),

joined as (
    select
        fdi.year,
        fdi.fdi_usd,
        lag(fdi.fdi_usd) over (order by fdi.year) as fdi_usd_previous,
        lag(fdi.year) over (order by fdi.year) as previous_year,
        macro.gdp_current_usd,
        macro.gdp_real_growth_pct
    from fdi
    inner join curated.industry_macro_context as macro
        on macro.year = fdi.year
)

select
    year,
    round(fdi_usd / 1e9, 2) as fdi_net_inflows_usd_billion,
    round(100 * (fdi_usd / fdi_usd_previous - 1), 1) as fdi_growth_pct,
    round(gdp_real_growth_pct, 1) as gdp_real_growth_pct,
    round(100 * fdi_usd / gdp_current_usd, 2) as fdi_pct_of_gdp
from joined
where previous_year = year - 1
    and fdi_usd_previous > 0
    and gdp_real_growth_pct is not null
order by year

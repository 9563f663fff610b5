-- Trade openness of Viet Nam since 1990: exports, imports and their sum as % of GDP, with the
-- trade balance of goods and services in % of GDP.
with pivoted as (
    select
        year,
        max(case when indicator_code = 'NE.EXP.GNFS.ZS' then value end) as exports_pct_gdp,
        max(case when indicator_code = 'NE.IMP.GNFS.ZS' then value end) as imports_pct_gdp
    from curated.trade_openness_indicators
    where unit = '% of GDP'
    group by year
)

select
    year,
    round(exports_pct_gdp, 1) as exports_pct_gdp,
    round(imports_pct_gdp, 1) as imports_pct_gdp,
    round(exports_pct_gdp + imports_pct_gdp, 1) as trade_openness_pct_gdp,
    round(exports_pct_gdp - imports_pct_gdp, 1) as trade_balance_pct_gdp
from pivoted
where year >= 1990
    and exports_pct_gdp is not null
    and imports_pct_gdp is not null
order by year

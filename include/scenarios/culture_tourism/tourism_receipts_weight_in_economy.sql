-- International tourism receipts as a share of GDP (computed) and of exports (as published), and
-- tourism spending abroad as a share of imports, for the years with receipts.
select
    year,
    tourism_receipts_usd,
    gdp_usd,
    round(100.0 * tourism_receipts_usd / gdp_usd, 2) as receipts_pct_gdp,
    round(tourism_receipts_pct_exports, 2) as tourism_receipts_pct_exports,
    round(tourism_expenditures_pct_imports, 2) as tourism_expenditures_pct_imports
from curated.tourism_economy_indicators
where tourism_receipts_usd is not null
order by year

-- Manufacturing's share of GDP against industry's share of employment, per year: how fast jobs
-- follow output in Viet Nam's industrialisation. Employment covers all industry (incl.
-- construction, mining, utilities); value added covers manufacturing only.
select
    va.year,
    round(va.share_of_gdp_pct, 1) as manufacturing_share_of_gdp_pct,
    round(emp.industry_employment_pct, 1) as industry_employment_pct,
    round(va.real_growth_pct, 1) as manufacturing_real_growth_pct,
    round(va.share_of_gdp_pct - emp.industry_employment_pct, 1) as gap_pct_points
from curated.industry_value_added as va
inner join curated.industry_employment_share as emp
    on emp.year = va.year
where va.activity_code = 'manufacturing'
order by va.year

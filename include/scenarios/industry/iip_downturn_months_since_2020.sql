-- Months since January 2020 in which Viet Nam's industrial production was below the same month
-- a year earlier (whole-industry year-on-year change of the IIP < 0, latest figure: the next
-- release's revision where there is one), with mining, manufacturing and electricity beside it.
with pivoted as (
    select
        month,
        max(case when category_code = 'B-E' then yoy_change_pct end) as industry_yoy_pct,
        max(case when category_code = 'B-E' then cast(yoy_change_is_revised as integer) end) as industry_yoy_is_revised,
        max(case when category_code = 'B' then yoy_change_pct end) as mining_yoy_pct,
        max(case when category_code = 'C' then yoy_change_pct end) as manufacturing_yoy_pct,
        max(case when category_code = 'D' then yoy_change_pct end) as electricity_yoy_pct,
        max(case when category_code = 'B-E' then ytd_yoy_change_pct end) as industry_ytd_yoy_pct
    from curated.industry_iip_monthly
    where month >= '2020-01'
    group by month
)

select
    month,
    industry_yoy_pct,
    industry_yoy_is_revised = 1 as industry_yoy_is_revised,
    mining_yoy_pct,
    manufacturing_yoy_pct,
    electricity_yoy_pct,
    industry_ytd_yoy_pct
from pivoted
where industry_yoy_pct < 0
order by month

-- Employment shares by sector per year, agriculture's change since the first year (1991), and
-- whether services already employ more people than agriculture.
with wide as (
    select
        year,
        max(case when sector = 'agriculture' then employment_share_pct end) as agriculture_pct,
        max(case when sector = 'industry' then employment_share_pct end) as industry_pct,
        max(case when sector = 'services' then employment_share_pct end) as services_pct
    from curated.labour_employment_by_sector
    group by year
),

first_year as (
    select agriculture_pct as agriculture_first_pct
    from wide
    where year = (select min(year) from wide)
)

select
    wide.year,
    round(wide.agriculture_pct, 1) as agriculture_pct,
    round(wide.industry_pct, 1) as industry_pct,
    round(wide.services_pct, 1) as services_pct,
    round(wide.agriculture_pct - first_year.agriculture_first_pct, 1) as agriculture_change_since_1991_pp,
    wide.services_pct > wide.agriculture_pct as services_above_agriculture
from wide
cross join first_year
order by wide.year

-- Advanced (tertiary) versus basic education: unemployment rates of people aged 25-54 and the
-- gap in percentage points, per year.
select
    year,
    max(case when education_level = 'advanced' then unemployment_rate_pct end) as advanced_pct,
    max(case when education_level = 'basic' then unemployment_rate_pct end) as basic_pct,
    round(
        max(case when education_level = 'advanced' then unemployment_rate_pct end)
        - max(case when education_level = 'basic' then unemployment_rate_pct end),
        1
    ) as gap_pp
from curated.labour_unemployment_by_education
where education_level in ('advanced', 'basic')
group by year
having count(*) = 2
order by year

-- Unemployment of people aged 25-54 by education level in the latest year with data, and each
-- level's rate as a multiple of the all-levels rate.
with latest as (
    select * from curated.labour_unemployment_by_education
    where year = (select max(year) from curated.labour_unemployment_by_education)
),

overall as (
    select unemployment_rate_pct as all_levels_pct
    from latest
    where education_level = 'all_levels'
)

select
    latest.year,
    latest.education_rank,
    latest.education_level,
    latest.education_level_vi,
    latest.education_level_en,
    latest.unemployment_rate_pct,
    round(latest.unemployment_rate_pct / overall.all_levels_pct, 2) as ratio_to_all_levels
from latest
cross join overall
where latest.education_level <> 'all_levels'
order by latest.education_rank

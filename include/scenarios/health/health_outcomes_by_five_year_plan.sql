-- Health outcomes per five-year plan: life expectancy and infant mortality at the start and end of
-- each Vietnamese five-year (socio-economic development) plan, from dim_year, and the change over
-- the plan. "Start" and "end" are the first and last plan years with a published value (the
-- 2021-2025 plan has data to 2023 so far).
with outcomes as (
    select
        m.year,
        y.five_year_plan,
        max(case when m.indicator_code = 'SP.DYN.LE00.IN' then m.value end) as life_expectancy_years,
        max(case when m.indicator_code = 'SP.DYN.IMRT.IN' then m.value end) as infant_mortality_per_1000_live_births
    from curated.health_mortality_indicators as m
    inner join curated.dim_year as y
        on y.year = m.year
    where y.five_year_plan is not null
    group by m.year, y.five_year_plan
),

bounds as (
    select
        five_year_plan,
        min(year) as first_year_with_data,
        max(year) as last_year_with_data,
        min(case when life_expectancy_years is not null then year end) as le_start_year,
        max(case when life_expectancy_years is not null then year end) as le_end_year,
        min(case when infant_mortality_per_1000_live_births is not null then year end) as imr_start_year,
        max(case when infant_mortality_per_1000_live_births is not null then year end) as imr_end_year
    from outcomes
    group by five_year_plan
)

select
    b.five_year_plan,
    max(y.five_year_plan_name_vi) as five_year_plan_name_vi,
    b.first_year_with_data,
    b.last_year_with_data,
    round(max(case when o.year = b.le_start_year then o.life_expectancy_years end), 1) as life_expectancy_start_years,
    round(max(case when o.year = b.le_end_year then o.life_expectancy_years end), 1) as life_expectancy_end_years,
    round(max(case when o.year = b.le_end_year then o.life_expectancy_years end)
        - max(case when o.year = b.le_start_year then o.life_expectancy_years end), 1) as life_expectancy_gain_years,
    max(case when o.year = b.imr_start_year then o.infant_mortality_per_1000_live_births end) as infant_mortality_start_per_1000_live_births,
    max(case when o.year = b.imr_end_year then o.infant_mortality_per_1000_live_births end) as infant_mortality_end_per_1000_live_births
from bounds as b
inner join outcomes as o
    on o.five_year_plan = b.five_year_plan
inner join curated.dim_year as y
    on y.year = o.year
group by b.five_year_plan, b.first_year_with_data, b.last_year_with_data
order by b.five_year_plan

-- The first COVID-19 waves of 2020 in Viet Nam, day by day: new cases, their 7-day rolling average
-- (the curve), the cumulative count and the days since the first reported case.
with daily as (
    select
        date_reported,
        new_cases,
        cumulative_cases,
        new_deaths
    from curated.health_covid19_daily
    where date_reported >= date '2020-01-01'
      and date_reported < date '2021-01-01'
)

select
    date_reported,
    cast(date_reported - min(case when cumulative_cases > 0 then date_reported end) over () as integer)
        as days_since_first_case,
    new_cases,
    round(avg(new_cases) over (order by date_reported rows between 6 preceding and current row), 2)
        as new_cases_7day_avg,
    cumulative_cases,
    new_deaths
from daily
order by date_reported

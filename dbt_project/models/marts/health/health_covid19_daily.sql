-- WHO daily COVID-19 counts for Viet Nam, one row per reporting day, as published.
-- The cumulative columns are checked against the running sum of the daily columns; a mismatch
-- is flagged, never "repaired", so users see the source as it is.
with daily as (
    select * from {{ ref('stg_who__covid19_daily') }}
    where country_code = 'VN'
),

running as (
    select
        *,
        sum(new_cases) over (
            order by date_reported rows between unbounded preceding and current row
        ) as running_new_cases,
        sum(new_deaths) over (
            order by date_reported rows between unbounded preceding and current row
        ) as running_new_deaths
    from daily
),

final as (
    select
        date_reported,
        new_cases,
        cumulative_cases,
        new_deaths,
        cumulative_deaths,
        cumulative_cases = running_new_cases as cumulative_cases_consistent,
        cumulative_deaths = running_new_deaths as cumulative_deaths_consistent
    from running
)

select * from final

-- PM2.5 at the US Embassy Hanoi per month: how many valid hours exceeded 35 µg/m³, and how many
-- days had a 24-hour mean above the WHO 2021 guideline of 15 µg/m³ (days with at least 18 valid
-- hours, i.e. 75 % completeness). Only QC-Valid hours count; months use the local date of the
-- hour's beginning.
with valid_hours as (
    select date_local, pm25_ugm3
    from curated.environment_pm25_hanoi_hourly
    where is_valid
),

daily as (
    select
        date_local,
        count(*) as valid_hours,
        avg(pm25_ugm3) as mean_pm25_ugm3
    from valid_hours
    group by date_local
),

monthly_hours as (
    select
        date_trunc('month', date_local) as month_start,
        count(*) as valid_hours,
        round(avg(pm25_ugm3), 1) as mean_pm25_ugm3,
        count(*) filter (where pm25_ugm3 > 35) as hours_above_35_ugm3
    from valid_hours
    group by 1
),

monthly_days as (
    select
        date_trunc('month', date_local) as month_start,
        count(*) filter (where valid_hours >= 18) as complete_days,
        count(*) filter (where valid_hours >= 18 and mean_pm25_ugm3 > 15) as days_above_who_24h_guideline
    from daily
    group by 1
)

select
    strftime(monthly_hours.month_start, '%Y-%m') as month,
    monthly_hours.valid_hours,
    monthly_hours.mean_pm25_ugm3,
    monthly_hours.hours_above_35_ugm3,
    round(100.0 * monthly_hours.hours_above_35_ugm3 / monthly_hours.valid_hours, 1) as pct_hours_above_35_ugm3,
    monthly_days.complete_days,
    monthly_days.days_above_who_24h_guideline
from monthly_hours
inner join monthly_days
    on monthly_days.month_start = monthly_hours.month_start
order by month

-- Conformed year dimension: one row per calendar year 1950-2030, generated (no source data).
-- Viet Nam's five-year socio-economic development plans: the first five-year plan of the North
-- (1961-1965), then, from reunification, consecutive national plans 1976-1980, 1981-1985, 1986-1990
-- and, named "socio-economic development plans" since 1991, 1991-1995, …, 2021-2025, 2026-2030.
-- 1950-1960 and 1966-1975 (wartime, annual plans) have none.
-- The 2025 provincial reorganisation (63 provinces → 34 units) took effect on 1 July 2025.
-- generate_series is DuckDB and PostgreSQL (DuckDB returns a list column `generate_series`).
with years as (
    select cast(generate_series as integer) as year
    from generate_series(1950, 2030)
),

plans as (
    select
        year,
        case
            when year between 1961 and 1965 then 1961
            when year >= 1976 then 1976 + 5 * cast(floor((year - 1976) / 5.0) as integer)
        end as plan_start_year
    from years
),

final as (
    select
        -- ids
        plans.year,
        -- numerics
        cast(floor(plans.year / 10.0) * 10 as integer) as decade,
        case when plans.year % 4 = 0 and (plans.year % 100 <> 0 or plans.year % 400 = 0) then 366 else 365 end
            as days_in_year,
        plans.year - plans.plan_start_year + 1 as five_year_plan_year,
        -- flags
        (plans.year % 4 = 0 and (plans.year % 100 <> 0 or plans.year % 400 = 0)) as is_leap_year,
        -- strings
        cast(plans.plan_start_year as varchar) || '-' || cast(plans.plan_start_year + 4 as varchar) as five_year_plan,
        case
            when plans.plan_start_year = 1961
                then 'Kế hoạch 5 năm lần thứ nhất 1961-1965 (miền Bắc)'
            when plans.plan_start_year < 1991
                then 'Kế hoạch 5 năm ' || cast(plans.plan_start_year as varchar) || '-' || cast(plans.plan_start_year + 4 as varchar)
            when plans.plan_start_year is not null
                then 'Kế hoạch phát triển kinh tế - xã hội 5 năm '
                    || cast(plans.plan_start_year as varchar) || '-' || cast(plans.plan_start_year + 4 as varchar)
        end as five_year_plan_name_vi,
        case
            when plans.plan_start_year = 1961
                then 'First Five-Year Plan 1961-1965 (North Viet Nam)'
            when plans.plan_start_year < 1991
                then 'Five-Year Plan ' || cast(plans.plan_start_year as varchar) || '-' || cast(plans.plan_start_year + 4 as varchar)
            when plans.plan_start_year is not null
                then 'Five-year socio-economic development plan '
                    || cast(plans.plan_start_year as varchar) || '-' || cast(plans.plan_start_year + 4 as varchar)
        end as five_year_plan_name_en,
        case
            when plans.year < 2025 then 'before'
            when plans.year = 2025 then 'transition'
            else 'after'
        end as province_reorganisation_2025_phase
    from plans
)

select
    year,
    decade,
    is_leap_year,
    days_in_year,
    five_year_plan,
    five_year_plan_name_vi,
    five_year_plan_name_en,
    five_year_plan_year,
    province_reorganisation_2025_phase
from final
order by year

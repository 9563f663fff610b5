-- WHO COVID-19 daily counts, one row per country x reporting day.
-- The 2020 WHO file writes the day as an ISO timestamp ("2020-01-24T00:00:00Z"); the current
-- file writes a plain date ("2020-01-24"). The first 10 characters are the date in both.
with source as (
    select * from {{ source('who', 'covid19_daily') }}
),

renamed as (
    select
        -- ids
        nullif(trim(country_code), '') as country_code,
        -- strings
        nullif(trim(country), '') as country_name,
        nullif(trim(who_region), '') as who_region,
        -- numerics (counts of people; empty = not reported)
        {{ sd_try_cast("nullif(trim(new_cases), '')", 'bigint') }} as new_cases,
        {{ sd_try_cast("nullif(trim(cumulative_cases), '')", 'bigint') }} as cumulative_cases,
        {{ sd_try_cast("nullif(trim(new_deaths), '')", 'bigint') }} as new_deaths,
        {{ sd_try_cast("nullif(trim(cumulative_deaths), '')", 'bigint') }} as cumulative_deaths,
        -- dates
        {{ sd_try_cast('substr(trim(date_reported), 1, 10)', 'date') }} as date_reported,
        _loaded_at
    from source
)

select * from renamed

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
        try_cast(nullif(trim(new_cases), '') as bigint) as new_cases,
        try_cast(nullif(trim(cumulative_cases), '') as bigint) as cumulative_cases,
        try_cast(nullif(trim(new_deaths), '') as bigint) as new_deaths,
        try_cast(nullif(trim(cumulative_deaths), '') as bigint) as cumulative_deaths,
        -- dates
        try_cast(substr(trim(date_reported), 1, 10) as date) as date_reported,
        _loaded_at
    from source
)

select * from renamed

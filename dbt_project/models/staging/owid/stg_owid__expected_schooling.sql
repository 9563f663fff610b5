-- OWID "Expected Years of Schooling - UNDP (2018)", Vietnam rows (annual 1990-2017).
-- Handled here: the value header is renamed to a name with its unit (years).
with source as (
    select * from {{ source('owid', 'expected_schooling') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics
        try_cast(nullif(trim(expected_years_of_schooling_years), '') as double) as expected_schooling_years,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
)

select * from renamed

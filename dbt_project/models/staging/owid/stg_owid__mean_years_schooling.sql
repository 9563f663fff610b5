-- OWID "Years of Schooling - based on Lee-Lee (2016), Barro-Lee (2018) and UNDP (2018)",
-- Vietnam rows. Handled here: the long (loader-truncated) header is renamed to a name with its
-- unit. The series is 5-yearly until 1985 and annual from 1990; nothing is interpolated (the
-- mart education_schooling_years publishes the gap to the previous observation).
with source as (
    select * from {{ source('owid', 'mean_years_schooling') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics
        try_cast(nullif(trim(average_total_years_of_schooling_for_adult_population__4f7386ca), '') as double)
            as mean_schooling_years,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
)

select * from renamed

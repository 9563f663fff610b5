-- VNAT monthly international visitor arrivals by mode of entry, national, one row per source row
-- (one per month, 2013-01 .. 2025-12), typed.
-- The month is written "d/m/yyyy" with the day always 1 ("1/2/2013" is February 2013). A date
-- parser guessing the order could read it as 2 January, so the three parts are taken apart
-- explicitly as day / month / year; int_vnat_arrivals_months_checked stops the build when a day
-- is not 1 or a month is missing or repeated.
-- The 21 months 2020-04 .. 2021-12 are empty in every column (VNAT published nothing while the
-- borders were closed): empty stays NULL here, never 0.
-- The source calls the sea mode "cruise" (VNAT: "đường biển", arrivals by sea).
with source as (
    select * from {{ source('vnat', 'monthly_arrivals_by_mode') }}
),

renamed as (
    select
        -- ids
        _row_number as source_row_number,
        -- strings: the date as written, for tracing
        trim("date") as source_date_text,
        -- dates: day / month / year, parsed explicitly (never m/d)
        {{ sd_try_cast(sd_regexp_extract('trim("date")', "'^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$'", 1), 'integer') }} as source_day,
        {{ sd_try_cast(sd_regexp_extract('trim("date")', "'^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$'", 2), 'integer') }} as month_of_year,
        {{ sd_try_cast(sd_regexp_extract('trim("date")', "'^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$'", 3), 'integer') }} as year,
        -- numerics: arrivals (empty = not published → NULL)
        cast({{ sd_try_cast("nullif(trim(aviation), '')", 'integer') }} as bigint) as arrivals_aviation,
        cast({{ sd_try_cast("nullif(trim(road), '')", 'integer') }} as bigint) as arrivals_road,
        cast({{ sd_try_cast("nullif(trim(cruise), '')", 'integer') }} as bigint) as arrivals_sea,
        cast({{ sd_try_cast("nullif(trim(total), '')", 'integer') }} as bigint) as arrivals_total,
        _loaded_at
    from source
)

select * from renamed

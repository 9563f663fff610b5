-- UNWTO inbound arrivals of tourists for Viet Nam (OWID via hsuchyisee/DV2), one row per source
-- row: every year is there twice because the repository author's join with a country table
-- matched both "Viet Nam" and "Vietnam" (joined_country_name). The duplicates are merged, and
-- checked to carry the same value, in int_inbound_arrivals_deduplicated; here they are only typed.
with source as (
    select * from {{ source('owid', 'inbound_tourist_arrivals') }}
),

renamed as (
    select
        -- ids
        nullif(trim(code), '') as country_iso3,
        nullif(trim(alpha_2_code), '') as country_iso2,
        {{ sd_try_cast("nullif(trim(numeric_code), '')", 'integer') }} as country_numeric_code,
        _row_number as source_row_number,
        -- strings
        nullif(trim(entity), '') as entity_name,
        nullif(trim(country), '') as joined_country_name,
        -- numerics: arrivals as float text ("975000.0") → whole number
        cast({{ sd_try_cast("nullif(trim(inbound_arrivals_of_tourists), '')", 'double') }} as bigint) as tourist_arrivals,
        {{ sd_try_cast("nullif(trim(latitude_average), '')", 'double') }} as centroid_latitude,
        {{ sd_try_cast("nullif(trim(longitude_average), '')", 'double') }} as centroid_longitude,
        -- dates
        {{ sd_try_cast("nullif(trim(year), '')", 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

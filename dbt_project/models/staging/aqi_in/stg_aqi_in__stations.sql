-- Air-quality stations (AQI.in / WAQI discovery, geocoded by the source project), one row per
-- station. Handled here: coordinates typed and rounded to 6 decimals (about 0.1 m; the file
-- writes float32 values in full, e.g. 15.577400207519531, next to plain decimals - after
-- rounding, "21.2576961517334" and "21.257696" are the same point); empty strings -> NULL; the province
-- label is kept as published (its resolution to a post-2025 unit is in
-- int_air_quality_stations_resolved) plus a copy with the "TP." / "Thành phố" prefix removed,
-- the form that matches the post-2025 unit names.
with source as (
    select * from {{ source('aqi_in', 'stations') }}
),

renamed as (
    select
        -- ids
        nullif(trim(station_name), '') as station_name,
        -- strings
        nullif(trim(province), '') as province_label,
        nullif(trim(ward), '') as ward_name,
        nullif(trim(source), '') as location_source,
        -- numerics
        {{ sd_round(sd_try_cast("nullif(trim(latitude), '')", 'double'), 6) }} as latitude,
        {{ sd_round(sd_try_cast("nullif(trim(longitude), '')", 'double'), 6) }} as longitude,
        _loaded_at
    from source
),

cleaned as (
    select
        *,
        trim(regexp_replace(province_label, '^(TP\.|Thành phố)\s*', '')) as province_label_unprefixed
    from renamed
)

select * from cleaned

-- One row per GTFS trip. Trip ids are "<route_id>_<period>_<n>": the period token is "AM" or
-- "MD" – the feed merges two World Bank sub-feeds (AM peak and midday). The blank separator
-- line between them is dropped by the loader. Headsign/direction/block/shape are all empty.
with source as (
    select * from {{ source('gtfs_hanoi', 'trips') }}
),

renamed as (
    select
        trim(trip_id) as trip_id,
        trim(route_id) as route_id,
        nullif(trim(service_id), '') as service_id,
        nullif(trim(trip_headsign), '') as trip_headsign,
        nullif(trim(direction_id), '') as direction_id,
        nullif(trim(shape_id), '') as shape_id,
        _loaded_at
    from source
),

cleaned as (
    select
        -- ids
        trip_id,
        route_id,
        service_id,
        shape_id,
        -- strings: sub-feed the trip comes from
        case {{ sd_regexp_extract('trip_id', "'_(AM|MD)_[0-9]+$'", 1) }}
            when 'AM' then 'am_peak'
            when 'MD' then 'midday'
        end as feed_period,
        trip_headsign,
        -- numerics
        {{ sd_try_cast('direction_id', 'integer') }} as direction_id,
        {{ sd_try_cast("nullif(" ~ sd_regexp_extract('trip_id', "'_([0-9]+)$'", 1) ~ ", '')", 'integer') }} as trip_number,
        _loaded_at
    from renamed
)

select * from cleaned

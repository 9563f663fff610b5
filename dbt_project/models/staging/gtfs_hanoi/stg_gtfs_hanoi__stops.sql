-- One row per GTFS stop_id. Stop ids embed the route direction and the position on it:
-- "01_1_S7" = 7th stop of route_id "01_1" (checked on the 2018 feed: every prefix is a route_id,
-- and the numbers run 1..n without gaps). Because stops are repeated per route, one physical
-- point carries several stop_ids (6,495 ids on 2,649 points); the point-level view is the
-- transport_bus_stop_points mart. Placeholder stop names ("STOP_01_1_S7") are set to NULL.
with source as (
    select * from {{ source('gtfs_hanoi', 'stops') }}
),

renamed as (
    select
        trim(stop_id) as stop_id,
        nullif(trim(stop_name), '') as stop_name_raw,
        nullif(trim(stop_desc), '') as stop_desc,
        nullif(trim(stop_lat), '') as stop_lat,
        nullif(trim(stop_lon), '') as stop_lon,
        nullif(trim(zone_id), '') as zone_id,
        _loaded_at
    from source
),

cleaned as (
    select
        -- ids
        stop_id,
        nullif({{ sd_regexp_extract('stop_id', "'^(.+)_S([0-9]+)$'", 1) }}, '') as route_id,
        zone_id,
        -- strings
        case when stop_name_raw = 'STOP_' || stop_id then null else stop_name_raw end as stop_name,
        (stop_name_raw = 'STOP_' || stop_id) as has_placeholder_name,
        stop_desc,
        -- numerics: position in the route (from the id) and WGS84 coordinates; the feed
        -- writes exactly 6 decimals, so decimal(9, 6) keeps them exact and usable as a key
        -- (a finer value in a future feed would be rounded to 6 decimals, ~0.1 m)
        {{ sd_try_cast("nullif(" ~ sd_regexp_extract('stop_id', "'^(.+)_S([0-9]+)$'", 2) ~ ", '')", 'integer') }} as stop_sequence,
        {{ sd_try_cast('stop_lat', 'decimal(9, 6)') }} as stop_lat,
        {{ sd_try_cast('stop_lon', 'decimal(9, 6)') }} as stop_lon,
        _loaded_at
    from renamed
)

select * from cleaned

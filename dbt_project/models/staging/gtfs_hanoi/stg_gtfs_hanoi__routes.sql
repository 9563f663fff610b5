-- One row per GTFS route_id. In this feed a route_id is one DIRECTION of a bus line: the line
-- number followed by "_1" or "_2" ("01_1", "03A_2", "BRT01_1"); every line has both.
-- route_short_name / route_long_name are generated placeholders ("n/a-01_1", "Route_01_1"),
-- not names: they are set to NULL here and flagged, so nothing downstream shows them as real.
with source as (
    select * from {{ source('gtfs_hanoi', 'routes') }}
),

renamed as (
    select
        trim(route_id) as route_id,
        nullif(trim(agency_id), '') as agency_id,
        nullif(trim(route_short_name), '') as route_short_name_raw,
        nullif(trim(route_long_name), '') as route_long_name_raw,
        nullif(trim(route_desc), '') as route_desc,
        nullif(trim(route_type), '') as route_type,
        _loaded_at
    from source
),

cleaned as (
    select
        -- ids
        route_id,
        {{ sd_regexp_extract('route_id', "'^(.+)_([0-9]+)$'", 1) }} as route_number,
        cast(nullif({{ sd_regexp_extract('route_id', "'^(.+)_([0-9]+)$'", 2) }}, '') as integer) as direction_code,
        agency_id,
        -- strings: placeholder names are generated from the id, so they carry no information
        case when route_short_name_raw = 'n/a-' || route_id then null else route_short_name_raw end as route_short_name,
        case when route_long_name_raw = 'Route_' || route_id then null else route_long_name_raw end as route_long_name,
        (route_short_name_raw = 'n/a-' || route_id or route_long_name_raw = 'Route_' || route_id) as has_placeholder_name,
        route_desc,
        -- numerics: GTFS route_type (3 = bus)
        {{ sd_try_cast('route_type', 'integer') }} as route_type,
        _loaded_at
    from renamed
)

select * from cleaned

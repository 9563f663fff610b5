-- Hanoi bus stop points (GTFS 2018): one row per distinct stop location. The feed repeats a stop
-- for every route direction serving it (6,495 stop ids on 2,649 points), so counting stop ids
-- overstates the network; this mart collapses them on the published coordinates (exactly 6
-- decimals in the feed, ~0.1 m) and counts the routes serving each point.
with stops as (
    select * from {{ ref('stg_gtfs_hanoi__stops') }}
),

routes as (
    select route_id, route_number from {{ ref('stg_gtfs_hanoi__routes') }}
),

final as (
    select
        -- ids: the point is identified by its coordinates
        stops.stop_lat as latitude,
        stops.stop_lon as longitude,
        -- strings: the GTFS ids at this point, space-separated and sorted
        string_agg(distinct routes.route_number, ' ' order by routes.route_number) as route_numbers,
        string_agg(distinct stops.route_id, ' ' order by stops.route_id) as route_ids,
        string_agg(stops.stop_id, ' ' order by stops.stop_id) as stop_ids,
        -- numerics
        count(distinct routes.route_number) as route_count,
        count(distinct stops.route_id) as route_direction_count,
        count(*) as stop_id_count
    from stops
    inner join routes on routes.route_id = stops.route_id
    group by stops.stop_lat, stops.stop_lon
)

select * from final

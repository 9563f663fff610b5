-- Hanoi bus routes (GTFS 2018): one row per route direction (GTFS route_id), with the line number
-- and direction parsed from the id, trip counts per sub-feed and the number of stops listed.
-- stop_times.txt is missing, so there are no times, frequencies or stop-to-trip links; stop
-- counts come from the stop ids' route prefix. Routes with no stop ids in stops.txt (lines 94-108
-- in 2018) get NULL stop counts, not 0: their stops are unknown, not absent.
with routes as (
    select * from {{ ref('stg_gtfs_hanoi__routes') }}
),

trips_per_route as (
    select
        route_id,
        count(*) filter (where feed_period = 'am_peak') as trip_count_am_peak,
        count(*) filter (where feed_period = 'midday') as trip_count_midday,
        count(*) as trip_count_total
    from {{ ref('stg_gtfs_hanoi__trips') }}
    group by route_id
),

stops as (
    select * from {{ ref('stg_gtfs_hanoi__stops') }}
),

stops_per_route as (
    select
        route_id,
        count(*) as stop_count
    from stops
    group by route_id
),

points_per_route as (
    -- a route can list the same point twice (20B_1 stops 9 and 10)
    select route_id, count(*) as stop_point_count
    from (select distinct route_id, stop_lat, stop_lon from stops) as distinct_points
    group by route_id
),

final as (
    select
        -- ids
        routes.route_id,
        routes.route_number,
        routes.direction_code,
        -- strings / flags: names are NULL while the feed only has placeholders
        coalesce(routes.route_long_name, routes.route_short_name) as route_name,
        -- true when the only name the source gives is a generated placeholder
        (coalesce(routes.has_placeholder_name, false)
            and coalesce(routes.route_long_name, routes.route_short_name) is null) as route_name_is_placeholder,
        routes.route_number like 'BRT%' as is_brt,
        stops_per_route.route_id is not null as has_stops_in_feed,
        -- numerics
        coalesce(trips_per_route.trip_count_am_peak, 0) as trip_count_am_peak,
        coalesce(trips_per_route.trip_count_midday, 0) as trip_count_midday,
        coalesce(trips_per_route.trip_count_total, 0) as trip_count_total,
        stops_per_route.stop_count,
        points_per_route.stop_point_count
    from routes
    left join trips_per_route on trips_per_route.route_id = routes.route_id
    left join stops_per_route on stops_per_route.route_id = routes.route_id
    left join points_per_route on points_per_route.route_id = routes.route_id
)

select * from final

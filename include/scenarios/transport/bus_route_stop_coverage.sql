-- Public-transport stop coverage per route: for each direction of each Hanoi bus line (GTFS 2018),
-- the stop points it serves, how many of them are interchanges (served by 5 or more lines) and how
-- many only this line serves, next to its AM-peak and midday trips. Lines whose stops are missing
-- from the feed (94-108) show has_stops_in_feed = false and 0 points.
with served as (
    -- route_ids is the space-separated list of route directions serving the point
    select
        r.route_id,
        s.route_count
    from curated.transport_bus_routes as r
    inner join curated.transport_bus_stop_points as s
        on ' ' || s.route_ids || ' ' like '% ' || r.route_id || ' %'
)

select
    r.route_id,
    r.route_number,
    r.direction_code,
    r.is_brt,
    r.has_stops_in_feed,
    r.trip_count_total,
    count(served.route_id) as stop_points_served,
    sum(case when served.route_count >= 5 then 1 else 0 end) as interchange_stop_points,
    sum(case when served.route_count = 1 then 1 else 0 end) as exclusive_stop_points,
    round(100.0 * sum(case when served.route_count >= 5 then 1 else 0 end) / nullif(count(served.route_id), 0), 1)
        as interchange_share_pct
from curated.transport_bus_routes as r
left join served
    on served.route_id = r.route_id
group by r.route_id, r.route_number, r.direction_code, r.is_brt, r.has_stops_in_feed, r.trip_count_total
order by r.route_number, r.direction_code

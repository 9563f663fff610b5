-- The busiest bus stop points of Hanoi (GTFS 2018): the 25 locations served by the most bus lines,
-- with the lines and the AM-peak + midday trips of all route directions that stop there.
with top_points as (
    select latitude, longitude, route_count, route_direction_count, route_numbers, route_ids
    from curated.transport_bus_stop_points
    order by route_count desc, route_direction_count desc, latitude, longitude
    limit 25
)

select
    p.latitude,
    p.longitude,
    p.route_count,
    p.route_direction_count,
    p.route_numbers,
    sum(r.trip_count_total) as trips_of_serving_routes
from top_points as p
inner join curated.transport_bus_routes as r
    on ' ' || p.route_ids || ' ' like '% ' || r.route_id || ' %'
group by p.latitude, p.longitude, p.route_count, p.route_direction_count, p.route_numbers
order by p.route_count desc, p.route_direction_count desc, trips_of_serving_routes desc, p.latitude, p.longitude

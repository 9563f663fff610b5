-- Domestic vs international routes per Vietnamese airport (OpenFlights, 2014 network): routes
-- departing from or arriving at each airport, split domestic / international, with the number of
-- airlines and of foreign airports linked. Airports without routes (air bases) show zeros.
with legs as (
    -- each route counted once at its origin and once at its destination
    select source_airport_openflights_id as airport_id, airline_code, is_domestic,
        destination_airport_openflights_id as other_airport_id
    from curated.transport_air_routes
    union all
    select destination_airport_openflights_id, airline_code, is_domestic,
        source_airport_openflights_id
    from curated.transport_air_routes
),

per_airport as (
    select
        a.airport_id,
        sum(case when l.is_domestic then 1 else 0 end) as domestic_routes,
        sum(case when not l.is_domestic then 1 else 0 end) as international_routes,
        count(distinct l.airline_code) as airlines,
        count(distinct case when not l.is_domestic then l.other_airport_id end) as foreign_airports_linked
    from curated.transport_airports as a
    left join legs as l
        on l.airport_id = a.airport_id
    group by a.airport_id
)

select
    a.icao_code,
    coalesce(a.iata_code, '-') as iata_code,
    a.airport_name,
    a.city_name,
    p.domestic_routes,
    p.international_routes,
    p.domestic_routes + p.international_routes as total_routes,
    round(100.0 * p.international_routes / nullif(p.domestic_routes + p.international_routes, 0), 1) as international_share_pct,
    p.airlines,
    p.foreign_airports_linked
from per_airport as p
inner join curated.transport_airports as a
    on a.airport_id = p.airport_id
order by total_routes desc, a.icao_code

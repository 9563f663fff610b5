-- Airlines serving Viet Nam (OpenFlights, June 2014): routes per airline, the domestic share,
-- codeshares, Vietnamese airports served and foreign airports linked. For route-network and
-- market-access analysis (which carriers depend on which airports).
with legs as (
    select airline_code, source_airport_openflights_id as vn_airport_id, is_domestic, is_codeshare,
        destination_airport_openflights_id as other_airport_id
    from curated.transport_air_routes
    union all
    select airline_code, destination_airport_openflights_id, is_domestic, is_codeshare,
        source_airport_openflights_id
    from curated.transport_air_routes
),

vn_legs as (
    -- keep the Vietnamese end of every route
    select legs.*
    from legs
    inner join curated.transport_airports as a
        on a.airport_id = legs.vn_airport_id
),

routes as (
    select
        airline_code,
        count(*) as routes,
        sum(case when is_domestic then 1 else 0 end) as domestic_routes,
        sum(case when is_codeshare then 1 else 0 end) as codeshare_routes
    from curated.transport_air_routes
    group by airline_code
)

select
    r.airline_code,
    r.routes,
    r.domestic_routes,
    r.routes - r.domestic_routes as international_routes,
    round(100.0 * r.domestic_routes / r.routes, 1) as domestic_share_pct,
    r.codeshare_routes,
    count(distinct v.vn_airport_id) as vietnamese_airports_served,
    count(distinct case when not v.is_domestic then v.other_airport_id end) as foreign_airports_linked
from routes as r
inner join vn_legs as v
    on v.airline_code = r.airline_code
group by r.airline_code, r.routes, r.domestic_routes, r.codeshare_routes
order by r.routes desc, r.airline_code

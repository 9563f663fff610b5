-- Airports by elevation and region: every airport with its elevation band (lowland < 100 m,
-- midland 100-500 m, highland >= 500 m, which matters for runway performance) and an approximate
-- macro-region from its latitude (North >= 19° N, Central 11.2-19° N, South < 11.2° N; a latitude
-- split, not administrative boundaries), with per-region statistics alongside.
with classified as (
    select
        icao_code,
        iata_code,
        airport_name,
        city_name,
        latitude,
        longitude,
        elevation_m,
        case
            when elevation_m < 100 then 'lowland (<100 m)'
            when elevation_m < 500 then 'midland (100-500 m)'
            else 'highland (>=500 m)'
        end as elevation_band,
        case
            when latitude >= 19 then 'North'
            when latitude >= 11.2 then 'Central'
            else 'South'
        end as region
    from curated.transport_airports
    where elevation_m is not null
)

select
    region,
    elevation_band,
    icao_code,
    coalesce(iata_code, '-') as iata_code,
    airport_name,
    city_name,
    round(latitude, 4) as latitude,
    round(longitude, 4) as longitude,
    elevation_m,
    count(*) over (partition by region) as airports_in_region,
    round(avg(elevation_m) over (partition by region), 1) as region_mean_elevation_m,
    rank() over (partition by region order by elevation_m desc) as elevation_rank_in_region
from classified
order by region, elevation_m desc, icao_code

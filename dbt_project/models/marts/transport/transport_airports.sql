-- Airports of Viet Nam in OpenFlights: one row per airport (OpenFlights id), with NULL instead of
-- "\N", normalised city names, elevation in metres and the canonical IANA time zone.
with airports as (
    select * from {{ ref('stg_openflights__airports') }}
),

final as (
    select
        -- ids
        airport_id,
        iata_code,
        icao_code,
        -- strings
        airport_name,
        city_name,
        tz_database as time_zone,
        -- numerics
        latitude,
        longitude,
        elevation_m,
        utc_offset_hours
    from airports
)

select * from final

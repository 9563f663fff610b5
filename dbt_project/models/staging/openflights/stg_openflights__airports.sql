-- One row per OpenFlights airport in Vietnam. Handles: "\N" → NULL (IATA missing for the Gia Lam
-- and Kep air bases), misspelt city names ("Nhatrang", "Danang", "Son-La", …) corrected per airport
-- from the reviewable file seeds/corrections/corrections__openflights_airports_vnm.csv (applied on
-- the raw text, before typing), altitude in feet converted to metres, and the deprecated IANA zone
-- "Asia/Saigon" replaced by its canonical name "Asia/Ho_Chi_Minh".
with source as (
    -- keep the city as published next to the corrected one
    select *, city as city_as_published from {{ source('openflights', 'airports') }}
),

corrected as (
    {{ apply_corrections(
        'source', 'openflights_airports_vnm', 'airport_id', ['city'],
        relation=source('openflights', 'airports'), extra_columns=['city_as_published'],
    ) }}
),

renamed as (
    -- "\N" is OpenFlights' NULL; empty strings are treated the same way
    select
        nullif(nullif(trim(airport_id), '\N'), '') as airport_id,
        nullif(nullif(trim(name), '\N'), '') as airport_name,
        nullif(nullif(trim(city), '\N'), '') as city_name,
        nullif(nullif(trim(city_as_published), '\N'), '') as city_name_raw,
        nullif(nullif(trim(country), '\N'), '') as country_name,
        nullif(nullif(trim(iata), '\N'), '') as iata_code,
        nullif(nullif(trim(icao), '\N'), '') as icao_code,
        nullif(nullif(trim(latitude), '\N'), '') as latitude,
        nullif(nullif(trim(longitude), '\N'), '') as longitude,
        nullif(nullif(trim(altitude_ft), '\N'), '') as altitude_ft,
        nullif(nullif(trim(utc_offset_h), '\N'), '') as utc_offset_h,
        nullif(nullif(trim(dst), '\N'), '') as dst_rule,
        nullif(nullif(trim(tz_database), '\N'), '') as tz_database,
        nullif(nullif(trim(type), '\N'), '') as airport_type,
        nullif(nullif(trim(data_source), '\N'), '') as data_source,
        _loaded_at
    from corrected
),

cleaned as (
    select
        -- ids
        {{ sd_try_cast('renamed.airport_id', 'integer') }} as airport_id,
        upper(renamed.iata_code) as iata_code,
        upper(renamed.icao_code) as icao_code,
        -- strings
        renamed.airport_name,
        renamed.city_name,
        renamed.city_name_raw,
        renamed.country_name,
        -- IANA renamed Asia/Saigon to Asia/Ho_Chi_Minh (2008); the old name is only a link
        case when renamed.tz_database = 'Asia/Saigon' then 'Asia/Ho_Chi_Minh' else renamed.tz_database end as tz_database,
        renamed.dst_rule,
        renamed.airport_type,
        renamed.data_source,
        -- numerics: WGS84 degrees; altitude published in feet, converted (1 ft = 0.3048 m)
        {{ sd_try_cast('renamed.latitude', 'double') }} as latitude,
        {{ sd_try_cast('renamed.longitude', 'double') }} as longitude,
        {{ sd_try_cast('renamed.altitude_ft', 'double') }} as elevation_ft,
        {{ sd_round(sd_try_cast('renamed.altitude_ft', 'double') ~ ' * 0.3048', 1) }} as elevation_m,
        {{ sd_try_cast('renamed.utc_offset_h', 'double') }} as utc_offset_hours,
        renamed._loaded_at
    from renamed
)

select * from cleaned

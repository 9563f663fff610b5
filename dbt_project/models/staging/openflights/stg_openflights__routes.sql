-- One row per OpenFlights route line touching Vietnam (database frozen June 2014). Handles:
-- "\N" → NULL in every field, codeshare ""/"Y" → boolean, stops → integer, equipment (a
-- space-separated list of IATA aircraft type codes) trimmed. Duplicates on
-- airline × source × destination are resolved in the mart, not here (staging stays 1:1).
with source as (
    select * from {{ source('openflights', 'routes') }}
),

renamed as (
    select
        nullif(nullif(trim(airline), '\N'), '') as airline_code,
        nullif(nullif(trim(airline_id), '\N'), '') as airline_id,
        nullif(nullif(trim(source_airport), '\N'), '') as source_airport_code,
        nullif(nullif(trim(source_airport_id), '\N'), '') as source_airport_id,
        nullif(nullif(trim(destination_airport), '\N'), '') as destination_airport_code,
        nullif(nullif(trim(destination_airport_id), '\N'), '') as destination_airport_id,
        nullif(nullif(trim(codeshare), '\N'), '') as codeshare,
        nullif(nullif(trim(stops), '\N'), '') as stops,
        nullif(nullif(trim(equipment), '\N'), '') as equipment,
        _row_number,
        _loaded_at
    from source
),

cleaned as (
    select
        -- ids: codes are IATA (2-letter airline, 3-letter airport) or ICAO (3 / 4 letters)
        upper(airline_code) as airline_code,
        {{ sd_try_cast('airline_id', 'integer') }} as airline_id,
        upper(source_airport_code) as source_airport_code,
        {{ sd_try_cast('source_airport_id', 'integer') }} as source_airport_id,
        upper(destination_airport_code) as destination_airport_code,
        {{ sd_try_cast('destination_airport_id', 'integer') }} as destination_airport_id,
        -- strings: equipment codes with runs of spaces collapsed
        regexp_replace(equipment, '\s+', ' ', 'g') as equipment_codes,
        -- numerics / flags: codeshare "Y" = operated by another carrier, empty = not a codeshare;
        -- any other value stays NULL so the not_null test catches it
        case
            when codeshare is null then false
            when upper(codeshare) = 'Y' then true
        end as is_codeshare,
        {{ sd_try_cast('stops', 'integer') }} as stop_count,
        _row_number,
        _loaded_at
    from renamed
)

select * from cleaned

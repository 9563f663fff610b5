-- Scheduled air routes touching Viet Nam in OpenFlights (route database frozen June 2014): one
-- row per airline × origin airport × destination airport, classified domestic (both airports in
-- Viet Nam) or international departure / arrival.
with routes as (
    select * from {{ ref('stg_openflights__routes') }}
),

vn_airports as (
    select airport_id from {{ ref('stg_openflights__airports') }}
),

deduplicated as (
    -- If OpenFlights lists the same airline × origin × destination more than once (it does not in
    -- the 2014 snapshot), keep the first line of the file; the key is tested in the mart.
    select
        *,
        row_number() over (
            partition by airline_code, source_airport_code, destination_airport_code
            order by _row_number
        ) as line_rank
    from routes
),

classified as (
    select
        deduplicated.*,
        source_vn.airport_id is not null as source_in_vietnam,
        destination_vn.airport_id is not null as destination_in_vietnam
    from deduplicated
    left join vn_airports as source_vn on source_vn.airport_id = deduplicated.source_airport_id
    left join vn_airports as destination_vn on destination_vn.airport_id = deduplicated.destination_airport_id
    where deduplicated.line_rank = 1
),

final as (
    select
        -- ids
        airline_code,
        airline_id as airline_openflights_id,
        source_airport_code,
        source_airport_id as source_airport_openflights_id,
        destination_airport_code,
        destination_airport_id as destination_airport_openflights_id,
        -- strings / flags
        case
            when source_in_vietnam and destination_in_vietnam then 'domestic'
            when source_in_vietnam then 'international_departure'
            when destination_in_vietnam then 'international_arrival'
        end as route_scope,
        (source_in_vietnam and destination_in_vietnam) as is_domestic,
        is_codeshare,
        equipment_codes,
        -- numerics
        stop_count,
        case
            when equipment_codes is not null
                then cast(length(equipment_codes) - length(replace(equipment_codes, ' ', '')) + 1 as bigint)
        end as aircraft_type_count
    from classified
)

select * from final

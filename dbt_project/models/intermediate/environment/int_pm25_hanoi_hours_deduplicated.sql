-- One row per local hour of the US Embassy Hanoi PM2.5 series across the yearly AirNow files.
-- Rule for an hour present in more than one file (AirNow's hour-ending labels put the hour
-- ending at midnight on 1 January, e.g. 2020-01-01 00:00, at the end of the previous year's
-- file, and a later file may repeat it): keep the row of the NEWEST yearly file, the more recent
-- release of the monitor's data. Ranking uses rank(), not row_number(), so two rows for the same
-- hour inside one file survive here and fail the uniqueness tests (such a duplicate must be
-- corrected in seeds/corrections, never dropped at random).
with hours as (
    select * from {{ ref('stg_airnow__hanoi_pm25_hourly') }}
),

ranked as (
    select
        *,
        cast(right(source_id, 4) as integer) as file_year,
        count(*) over (partition by hour_ending_local) as rows_for_hour,
        rank() over (
            partition by hour_ending_local
            order by cast(right(source_id, 4) as integer) desc
        ) as file_rank
    from hours
),

deduplicated as (
    select
        -- ids
        hour_ending_local,
        source_id,
        -- strings
        aqi_category,
        qc_status,
        -- numerics
        pm25_ugm3,
        nowcast_pm25_ugm3,
        aqi_us_epa,
        rows_for_hour,
        -- dates
        hour_beginning_local,
        file_year
    from ranked
    where file_rank = 1
)

select * from deduplicated

-- Hourly PM2.5 at the US Embassy Hanoi (US Department of State monitor, US EPA AirNow), one row
-- per local hour. Every hour present in the files is published with its QC flag; is_valid marks
-- the hours fit for statistics (QC "Valid" with a concentration). Hours absent from the files
-- are not invented. Local time is Asia/Ho_Chi_Minh (UTC+7, no daylight saving); AirNow labels
-- each hourly average with the hour it ends, so date_local is the date of the hour's beginning
-- (the hour ending 2020-01-01 00:00 belongs to 2019-12-31).
with hours as (
    select * from {{ ref('int_pm25_hanoi_hours_deduplicated') }}
),

final as (
    select
        -- time
        hour_ending_local,
        hour_beginning_local,
        cast(hour_beginning_local as date) as date_local,
        -- measurements
        pm25_ugm3,
        nowcast_pm25_ugm3,
        aqi_us_epa,
        aqi_category,
        -- quality
        qc_status,
        coalesce(qc_status = 'Valid' and pm25_ugm3 is not null, false) as is_valid
    from hours
)

select * from final
order by hour_ending_local

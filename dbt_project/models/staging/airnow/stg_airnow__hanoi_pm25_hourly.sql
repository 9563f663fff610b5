-- US Embassy Hanoi hourly PM2.5 (AirNow), both yearly files unioned and typed, one row per file
-- row (duplicates across files are resolved in int_pm25_hanoi_hours_deduplicated).
-- Handled here:
--   * the -999 / -999.0 sentinels of NowCast Conc., AQI and Raw Conc. -> NULL, AQI Category
--     "N/A" -> NULL (a negative concentration or AQI is impossible, so any negative is treated
--     as the sentinel);
--   * "Date (LT)" is 12-hour local clock time without a zone ("2019-10-07 09:00 PM"): parsed
--     with the 12-hour format into a timestamp in Asia/Ho_Chi_Minh local time (UTC+7, no DST).
--     AirNow labels each hourly average with the hour it ENDS: the 2019 file ends with
--     "2020-01-01 12:00 AM" (the last hour of 2019) and the 2020 file starts at 01:00 AM. The
--     beginning of the hour is therefore the label minus one hour;
--   * the redundant Year/Month/Day/Hour columns are not carried over (they equal the parsed
--     label in every row; the DST correction is applied to the label in the base model).
--   Site, Parameter, Conc. Unit and Duration are constant ("Hanoi", "PM2.5 - Principal",
--   "UG/M3", "1 Hr") and kept for tests.
-- The two files are stacked by column name (the 2020 base model lists its corrected column first).
{%- set columns = [
    '_source_id', '_row_number', 'site', 'parameter', 'conc_unit', 'duration', 'aqi_category',
    'qc_name', 'raw_conc', 'nowcast_conc', 'aqi', 'date_lt', '_loaded_at',
] %}
with unioned as (
    select {{ columns | join(', ') }} from {{ ref('base_airnow__hanoi_pm25_2019') }}
    union all
    select {{ columns | join(', ') }} from {{ ref('base_airnow__hanoi_pm25_2020') }}
),

renamed as (
    select
        -- ids
        _source_id as source_id,
        _row_number as source_row_number,
        -- strings
        trim(site) as site_name,
        trim(parameter) as parameter_name,
        upper(trim(conc_unit)) as concentration_unit,
        trim(duration) as averaging_period,
        nullif(trim(aqi_category), 'N/A') as aqi_category,
        trim(qc_name) as qc_status,
        -- numerics (negative = the -999 sentinel)
        case when {{ sd_try_cast('raw_conc', 'double') }} >= 0 then {{ sd_try_cast('raw_conc', 'double') }} end as pm25_ugm3,
        case when {{ sd_try_cast('nowcast_conc', 'double') }} >= 0 then {{ sd_try_cast('nowcast_conc', 'double') }} end as nowcast_pm25_ugm3,
        case when {{ sd_try_cast('aqi', 'integer') }} >= 0 then {{ sd_try_cast('aqi', 'integer') }} end as aqi_us_epa,
        -- dates (local time, Asia/Ho_Chi_Minh, hour-ending label)
        {{ sd_try_strptime('trim(date_lt)', '%Y-%m-%d %I:%M %p') }} as hour_ending_local,
        _loaded_at
    from unioned
),

cleaned as (
    select
        *,
        hour_ending_local - interval '1 hour' as hour_beginning_local
    from renamed
)

select * from cleaned

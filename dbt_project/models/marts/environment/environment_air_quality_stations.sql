-- Air-quality monitoring stations known to AQI.in / WAQI in Viet Nam, one row per station, placed
-- in the post-2025 provincial unit (34 units). A province label that does not resolve stops the
-- build with the label in the error message (sd_raise_error). Stations sharing a coordinate pair are kept and flagged: several listings are
-- geocoded to the same point (often a city centre), so they are not necessarily distinct sites.
{%- set unresolved -%}
'environment_air_quality_stations: province label "' || province_label
|| '" (station "' || station_name || '") resolves neither to a post-2025 unit '
|| 'nor to a pre-2025 province; add it to seeds/province_name_aliases.csv'
{%- endset %}
with stations as (
    select * from {{ ref('int_air_quality_stations_resolved') }}
),

checked as (
    select
        station_name,
        case
            when province_code_2025 is null then {{ sd_raise_error(unresolved) }}
            else province_code_2025
        end as province_code_2025,
        province_name_2025_vi,
        province_label,
        province_resolution,
        ward_name,
        location_source,
        latitude,
        longitude,
        stations_at_same_coordinates
    from stations
)

select
    -- ids
    station_name,
    province_code_2025,
    -- strings
    province_name_2025_vi,
    province_label as province_label_source,
    province_resolution,
    ward_name as ward_name_2025,
    location_source,
    -- numerics
    latitude,
    longitude,
    stations_at_same_coordinates,
    stations_at_same_coordinates > 1 as has_shared_coordinates
from checked
order by province_code_2025, station_name

-- Air-quality stations listed by AQI.in / WAQI per post-2025 province (all 34 units, zero where
-- none is listed), with the number of distinct monitoring points (stations sharing coordinates
-- counted once) and how many stations' coordinates are only an administrative centroid.
with units as (
    select distinct unit_2025_code, unit_2025_name_vi
    from curated.dim_province
),

stations as (
    select * from curated.environment_air_quality_stations
)

select
    units.unit_2025_code as province_code_2025,
    units.unit_2025_name_vi as province_name_2025_vi,
    count(stations.station_name) as station_count,
    count(distinct case when stations.station_name is not null then stations.latitude || ',' || stations.longitude end)
        as distinct_locations,
    count(*) filter (where stations.has_shared_coordinates) as stations_with_shared_coordinates,
    count(*) filter (where stations.location_source = 'centroid_fallback') as stations_at_centroid
from units
left join stations
    on stations.province_code_2025 = units.unit_2025_code
group by units.unit_2025_code, units.unit_2025_name_vi
order by station_count desc, province_code_2025

-- Air-quality stations with their province label resolved to a post-2025 provincial unit.
-- The source labels stations with post-2025 unit names, written inconsistently. Resolution, in
-- order (first match wins):
--   1. the label without its "TP." / "Thành phố" prefix against the 34 post-2025 unit names of
--      dim_province (also without prefix), compared by vn_name_key ("TP.Hà Nội" -> Thành phố Hà
--      Nội, "Huế" -> Thành phố Huế, "Bắc Ninh" -> Bắc Ninh);
--   2. otherwise the label as a PRE-2025 province name through int_province_aliases, mapped to
--      the unit that province merged into by dim_province ("Quảng Bình" -> Quảng Trị).
-- Step 1 goes first because the column is meant to hold post-2025 names: "Tuyên Quang" is both
-- a unit and an old province, and step 1 gives the unit directly. A label matching neither stays
-- NULL here; the mart then stops the build naming it.
-- Stations sharing a coordinate pair (the source has 49 such pairs) are kept and counted.
with stations as (
    select * from {{ ref('stg_aqi_in__stations') }}
),

units_2025 as (
    select distinct
        unit_2025_code,
        unit_2025_name_vi,
        {{ vn_name_key("regexp_replace(unit_2025_name_vi, '^Thành phố\\s+', '')") }} as unit_name_key
    from {{ ref('dim_province') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

aliases as (
    select * from {{ ref('int_province_aliases') }}
),

resolved as (
    select
        -- ids
        stations.station_name,
        coalesce(by_unit.unit_2025_code, by_old_province.unit_2025_code) as province_code_2025,
        -- strings
        coalesce(by_unit.unit_2025_name_vi, by_old_province.unit_2025_name_vi) as province_name_2025_vi,
        stations.province_label,
        case
            when by_unit.unit_2025_code is not null then 'post_2025_unit_name'
            when by_old_province.unit_2025_code is not null then 'pre_2025_province_name'
        end as province_resolution,
        stations.ward_name,
        stations.location_source,
        -- numerics
        stations.latitude,
        stations.longitude
    from stations
    left join units_2025 as by_unit
        on {{ vn_name_key('stations.province_label_unprefixed') }} = by_unit.unit_name_key
    left join aliases
        on {{ vn_name_key('stations.province_label') }} = aliases.name_key
    left join provinces as by_old_province
        on aliases.province_code = by_old_province.province_code
),

counted as (
    select
        *,
        count(*) over (partition by latitude, longitude) as stations_at_same_coordinates
    from resolved
)

select * from counted

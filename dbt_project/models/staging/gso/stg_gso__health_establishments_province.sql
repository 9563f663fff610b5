-- GSO health establishments under provincial departments of health, one file per year 2005-2017,
-- stacked by the loader (release = the year). Handles, visibly:
--   * ".." (GSO: not available) -> NULL, with a per-row count of such cells;
--   * "Hai Phuong" for Hai Phong (code 31, 2005-2010): corrected from the reviewable file
--     seeds/corrections/corrections__gso_health_establishments_province.csv, on the raw text;
--   * 2016 and 2017 swap "Local clinic" and "Rehabilitation and nursing hospital" (national sums
--     35 / 602 against 613 / 34 in 2015): swapped back here, and flagged per row.
-- Country, region and former Ha Tay rows (no code) stay in; the intermediate model decides.
with source as (
    select
        *,
        cast(release as varchar) || ':' || coalesce(trim(code), '') as row_key,
        name as name_as_published
    from {{ source('gso', 'health_establishments_province') }}
),

corrected as (
    {{ apply_corrections(
        'source', 'gso_health_establishments_province', 'row_key', ['name'],
        relation=source('gso', 'health_establishments_province'), extra_columns=['row_key', 'name_as_published'],
    ) }}
),

typed as (
    select
        -- ids: GSO code padded to two digits; NULL for the country, regions and Ha Tay (no code)
        lpad(cast({{ sd_try_cast("nullif(trim(code), '')", 'integer') }} as varchar), 2, '0') as province_code,
        -- strings
        trim(name) as province_name_raw,
        trim(name_as_published) as province_name_as_published,
        -- numerics (counts of establishments)
        {{ gso_number('total', 'integer') }} as establishments_total,
        {{ gso_number('hospital', 'integer') }} as hospitals,
        {{ gso_number('local_clinic', 'integer') }} as clinics_as_published,
        {{ gso_number('rehabilitation_and_nursing_hospital', 'integer') }} as rehabilitation_as_published,
        {{ gso_number('health_station_at_commune_ward_office_enterprise', 'integer') }} as commune_health_stations,
        (case when {{ gso_is_marker('total') }} then 1 else 0 end
            + case when {{ gso_is_marker('hospital') }} then 1 else 0 end
            + case when {{ gso_is_marker('local_clinic') }} then 1 else 0 end
            + case when {{ gso_is_marker('rehabilitation_and_nursing_hospital') }} then 1 else 0 end
            + case when {{ gso_is_marker('health_station_at_commune_ward_office_enterprise') }} then 1 else 0 end
        ) as not_available_cells,
        -- dates
        {{ sd_try_cast('release', 'integer') }} as year,
        _loaded_at
    from corrected
)

select
    province_code,
    province_name_raw,
    province_name_as_published,
    establishments_total,
    hospitals,
    -- the two columns are swapped in the 2016 and 2017 files
    case when year in (2016, 2017) then rehabilitation_as_published else clinics_as_published end as regional_polyclinics,
    case when year in (2016, 2017) then clinics_as_published else rehabilitation_as_published end as rehabilitation_hospitals,
    year in (2016, 2017) as columns_swapped_in_source,
    commune_health_stations,
    not_available_cells,
    year,
    _loaded_at
from typed

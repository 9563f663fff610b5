-- GSO share of employed workers aged 15+ who are trained (have a vocational or higher
-- qualification), by province, 2010-2018 (Vietnam-development-map copy), one row per province
-- and year. Percent (the column is just "percentage"). Its denominator, employed workers, is
-- not in the data, so the share cannot be re-aggregated to larger areas. Code padded as in
-- stg_gso__labour_force_province; name kept for the code/name check.
with source as (
    select * from {{ source('gso', 'trained_workers_province') }}
),

renamed as (
    select
        -- ids
        lpad(cast({{ sd_try_cast("nullif(trim(code), '')", 'integer') }} as varchar), 2, '0') as province_code,
        -- strings
        nullif(trim(name), '') as province_name_raw,
        -- numerics
        {{ gso_number('percentage') }} as trained_share_pct,
        -- dates
        {{ sd_try_cast("nullif(trim(year), '')", 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

-- GSO provincial rice statistics 2014 (12 northern provinces). The 2017 workbook has the same
-- table with a drifted production header; both staging models emit the same columns.
with source as (
    select * from {{ source('gso', 'rice_2014') }}
),

renamed as (
    select
        -- strings: unaccented English names as published ("Hanoi"); resolved to GSO codes downstream
        nullif(trim(province), '') as province_name_raw,
        -- numerics
        try_cast(total_area_ha as double) as total_area_ha,
        try_cast(cultivation_area_ha as double) as cultivated_area_ha,
        try_cast(rice_production_ton as double) as production_t,  -- header "rice production (ton)"
        try_cast(rice_yield_ton_ha as double) as yield_t_per_ha,
        -- dates
        2014 as year,
        _loaded_at
    from source
),

cleaned as (
    -- the sheet's trailing empty rows carry no province
    select * from renamed
    where province_name_raw is not null
)

select * from cleaned

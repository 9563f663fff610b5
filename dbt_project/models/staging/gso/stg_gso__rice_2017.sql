-- GSO provincial rice statistics 2017 (12 northern provinces). Same table as 2014, but the
-- production header drifted to "rice production (ton/y)" (raw column rice_production_ton_y).
with source as (
    select * from {{ source('gso', 'rice_2017') }}
),

renamed as (
    select
        -- strings: unaccented English names as published ("Hanoi"); resolved to GSO codes downstream
        nullif(trim(province), '') as province_name_raw,
        -- numerics
        try_cast(total_area_ha as double) as total_area_ha,
        try_cast(cultivation_area_ha as double) as cultivated_area_ha,
        try_cast(rice_production_ton_y as double) as production_t,  -- header "rice production (ton/y)"
        try_cast(rice_yield_ton_ha as double) as yield_t_per_ha,
        -- dates
        2017 as year,
        _loaded_at
    from source
),

cleaned as (
    -- the sheet's trailing empty rows carry no province
    select * from renamed
    where province_name_raw is not null
)

select * from cleaned

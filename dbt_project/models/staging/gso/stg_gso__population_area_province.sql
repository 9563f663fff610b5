-- GSO "Area, population and population density by province", one file per year 2011-2022,
-- stacked by the loader (release = the year). Typed, with the units the files leave unstated.
with source as (
    select * from {{ source('gso', 'population_area_province') }}
),

renamed as (
    select
        -- ids: GSO code, padded to dim_province's two digits (the file writes 1 for Ha Noi); checked against the name downstream
        lpad(cast({{ sd_try_cast("nullif(trim(code), '')", 'integer') }} as varchar), 2, '0') as province_code,
        -- strings: unaccented English name as published ("Ha Noi", "Thua Thien - Hue")
        trim(name) as province_name_raw,
        -- numerics: units are not in the header - km2, thousand persons, persons per km2
        {{ sd_try_cast('area', 'double') }} as area_km2,
        {{ sd_try_cast('population', 'double') }} as population_thousand,
        {{ sd_try_cast('density', 'double') }} as density_published,
        -- dates
        {{ sd_try_cast('release', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

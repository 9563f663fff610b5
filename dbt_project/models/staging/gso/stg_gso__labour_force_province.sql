-- GSO labour force aged 15+ by province, 2010-2018 (Vietnam-development-map copy), one row per
-- province and year. The file states no unit: thousand persons (the 2018 province sum, 55,388,
-- is GSO's national labour force of about 55.4 million). The GSO code arrives as an unpadded
-- integer (1 = Hà Nội) and is padded to dim_province's 2-digit text; the unaccented name is kept
-- so that code and name can be checked against each other downstream.
with source as (
    select * from {{ source('gso', 'labour_force_province') }}
),

renamed as (
    select
        -- ids
        lpad(cast({{ sd_try_cast("nullif(trim(code), '')", 'integer') }} as varchar), 2, '0') as province_code,
        -- strings
        nullif(trim(name), '') as province_name_raw,
        -- numerics
        {{ gso_number('labor_force') }} as labour_force_thousand,
        -- dates
        {{ sd_try_cast("nullif(trim(year), '')", 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

-- GSO GRDP per capita by province, one file per year 2018-2022, stacked by the loader
-- (release = the year). The file's only value column is "grdp": million VND per person at current
-- prices by its range (26-357) and GSO's table - not stated in the file.
with source as (
    select * from {{ source('gso', 'grdp_per_capita_province') }}
),

renamed as (
    select
        -- ids: GSO code, padded to dim_province's two digits (the file writes 1 for Ha Noi); checked against the name downstream
        lpad(cast({{ sd_try_cast("nullif(trim(code), '')", 'integer') }} as varchar), 2, '0') as province_code,
        -- strings
        trim(name) as province_name_raw,
        -- numerics
        {{ sd_try_cast('grdp', 'double') }} as grdp_per_capita_million_vnd,
        -- dates
        {{ sd_try_cast('release', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

-- Aquaculture production by province and year (GSO, 2013-2018) on both province bases: the 63
-- pre-2025 provinces as published and the 34 provincial units in force since 1 July 2025, whose
-- production is the sum over their former provinces (macro province_bases; NULL unless every one
-- of them reports).
-- The source carries two keys for each province, an unpadded GSO code and an unaccented name.
-- Both must point at the same dim_province row: a code that is not a pre-2025 province, a name
-- that int_province_aliases cannot resolve, or a name that resolves to another province stops
-- the build with the published code and name in the message (sd_raise_error).
{%- set mismatch -%}
'agri_aquaculture_province: published province code ' || aquaculture.province_code_raw
|| ' / name "' || aquaculture.province_name_raw || '" (year ' || cast(aquaculture.year as varchar)
|| ') ' || case
    when provinces.province_code is null then 'is not a pre-2025 province code in dim_province'
    when aquaculture.name_province_code is null then 'has a name that does not resolve to a pre-2025 province; add it to seeds/province_name_aliases.csv if it truly is an alias'
    else 'has a name that resolves to province ' || aquaculture.name_province_code || ', not to its code'
end
{%- endset %}
with aquaculture as (
    select * from {{ ref('int_aquaculture_provinces_resolved') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

checked as (
    select
        case
            when provinces.province_code is null
                or aquaculture.name_province_code is null
                or aquaculture.name_province_code <> aquaculture.province_code
                then {{ sd_raise_error(mismatch) }}
            else aquaculture.province_code
        end as province_code,
        aquaculture.year,
        aquaculture.production_t as aquaculture_production_t
    from aquaculture
    left join provinces
        on provinces.province_code = aquaculture.province_code
),

bases as (
    {{ province_bases('checked', by=['year'], sums=['aquaculture_production_t']) }}
)

select
    -- ids
    geo_basis,
    area_code,
    year,
    -- strings
    area_name_vi,
    unit_2025_code,
    unit_2025_name_vi,
    -- numerics
    aquaculture_production_t,
    province_count,
    provinces_reporting
from bases
order by geo_basis, area_code, year

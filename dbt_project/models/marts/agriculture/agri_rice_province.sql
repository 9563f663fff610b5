-- Rice statistics per province and year (GSO, 12 northern provinces, 2014 and 2017).
-- A published province name that int_province_aliases cannot resolve stops the build with the
-- name in the error message (sd_raise_error).
{%- set unresolved -%}
'agri_rice_province: province name "' || rice.province_name_raw || '" (year '
|| cast(rice.year as varchar) || ') does not resolve to a pre-2025 province; '
|| 'add it to seeds/province_name_aliases.csv'
{%- endset %}
with rice as (
    select * from {{ ref('int_rice_provinces_resolved') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

checked as (
    select
        case
            when rice.province_code is null then {{ sd_raise_error(unresolved) }}
            else rice.province_code
        end as province_code,
        rice.year,
        rice.total_area_ha,
        rice.cultivated_area_ha,
        rice.production_t,
        rice.yield_t_per_ha
    from rice
)

select
    -- ids
    checked.province_code,
    checked.year,
    -- strings
    provinces.province_name_vi,
    -- numerics
    checked.total_area_ha,
    checked.cultivated_area_ha,
    checked.production_t,
    checked.yield_t_per_ha
from checked
inner join provinces
    on checked.province_code = provinces.province_code
order by checked.year, checked.province_code

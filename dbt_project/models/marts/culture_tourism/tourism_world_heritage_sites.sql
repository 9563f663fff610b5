-- UNESCO World Heritage sites in Viet Nam (2019 list), one row per site, with plain-text names
-- and description, criteria, area, coordinates and the province it lies in (pre-2025 GSO code
-- and the post-2025 unit it merged into on 1 July 2025). A site the location list does not know
-- stops the build with its name in the error message (sd_raise_error).
{%- set unlocated -%}
'tourism_world_heritage_sites: UNESCO site ' || cast(sites.site_id as varchar) || ' "'
|| sites.site_name_en || '" has no Vietnamese name or resolvable province; '
|| 'add it to the site list of int_heritage_sites_located'
{%- endset %}
with sites as (
    select * from {{ ref('int_heritage_sites_located') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

checked as (
    select
        case
            when sites.province_code is null or sites.site_name_vi is null then {{ sd_raise_error(unlocated) }}
            else sites.province_code
        end as province_code,
        {{ sd_star_except(ref('int_heritage_sites_located'), ['province_code'], 'sites') }}
    from sites
),

final as (
    select
        -- ids
        checked.site_id,
        -- strings: names
        checked.site_name_vi,
        checked.site_name_en,
        checked.site_name_fr,
        -- strings: classification
        checked.category,
        case checked.category
            when 'Cultural' then 'Văn hóa'
            when 'Natural' then 'Thiên nhiên'
            when 'Mixed' then 'Hỗn hợp'
        end as category_vi,
        checked.criteria,
        checked.criteria_count,
        -- dates
        checked.year_inscribed,
        checked.extension_years,
        -- numerics
        checked.area_ha,
        checked.latitude,
        checked.longitude,
        -- location
        checked.province_code,
        provinces.province_name_vi,
        provinces.unit_2025_code,
        provinces.unit_2025_name_vi,
        -- flags
        checked.is_in_danger,
        checked.is_transboundary,
        -- text
        checked.short_description_en
    from checked
    inner join provinces
        on provinces.province_code = checked.province_code
)

select * from final
order by year_inscribed, site_id

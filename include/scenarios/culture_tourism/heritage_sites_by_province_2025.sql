-- World Heritage sites per post-2025 province (all 34 units, zero included), with the former
-- provinces the sites are in.
with units as (
    select distinct unit_2025_code, unit_2025_name_vi
    from curated.dim_province
),

sites as (
    select * from curated.tourism_world_heritage_sites
)

select
    units.unit_2025_code,
    units.unit_2025_name_vi,
    count(sites.site_id) as site_count,
    coalesce(sum(sites.area_ha), 0) as total_area_ha,
    string_agg(sites.site_name_vi, '; ' order by sites.year_inscribed) as site_names_vi,
    string_agg(distinct sites.province_name_vi, '; ') as former_provinces
from units
left join sites
    on sites.unit_2025_code = units.unit_2025_code
group by units.unit_2025_code, units.unit_2025_name_vi
order by site_count desc, units.unit_2025_code

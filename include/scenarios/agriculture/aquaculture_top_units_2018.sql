-- Aquaculture on the 34 provincial units of 1 July 2025: the ten units with the largest
-- production in 2018 (the latest year of the GSO provincial table), their growth since 2013 and
-- their share of the national total (the sum over all 34 units, which equals the sum over the 63
-- former provinces). Unit values are sums over the merged provinces, published only when every
-- one of them reports (provinces_reporting = province_count).
with units as (
    select
        area_code as unit_2025_code,
        area_name_vi as unit_2025_name_vi,
        province_count as provinces_merged,
        max(case when year = 2013 then aquaculture_production_t end) as production_2013_t,
        max(case when year = 2018 then aquaculture_production_t end) as production_2018_t,
        min(provinces_reporting) as min_provinces_reporting
    from curated.agri_aquaculture_province
    where geo_basis = 'unit_2025_34'
      and year in (2013, 2018)
    group by area_code, area_name_vi, province_count
),

national as (
    select sum(production_2018_t) as total_2018_t
    from units
)

select
    rank() over (order by u.production_2018_t desc) as rank_2018,
    u.unit_2025_code,
    u.unit_2025_name_vi,
    u.provinces_merged,
    (u.min_provinces_reporting = u.provinces_merged) as is_complete,
    u.production_2013_t,
    u.production_2018_t,
    round(100.0 * u.production_2018_t / nullif(u.production_2013_t, 0) - 100, 1) as growth_2013_2018_pct,
    round(100.0 * u.production_2018_t / nullif(n.total_2018_t, 0), 1) as share_of_national_2018_pct
from units as u
cross join national as n
order by rank_2018, u.unit_2025_code
limit 10

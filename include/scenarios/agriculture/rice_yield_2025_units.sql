-- Rice yield 2014 vs 2017 on the 2025 provincial units: the GSO provincial rice figures (pre-2025
-- provinces) re-aggregated to the 34 units in force since 1 July 2025 through dim_province.
-- A ratio cannot be averaged: the unit's yield is its production over its harvested area, the
-- harvested area of each province being implied by production / published yield (the published
-- cultivated area is rice land, sown about twice a year, so it is not the yield's denominator).
-- A unit is "complete" only when every pre-2025 province merged into it has data in both years.
with rice as (
    select
        p.unit_2025_code,
        p.unit_2025_name_vi,
        r.province_code,
        r.province_name_vi,
        r.year,
        r.production_t,
        r.production_t / nullif(r.yield_t_per_ha, 0) as harvested_area_ha
    from curated.agri_rice_province as r
    inner join curated.dim_province as p
        on p.province_code = r.province_code
    where r.year in (2014, 2017)
),

unit_size as (
    select unit_2025_code, count(*) as provinces_merged
    from curated.dim_province
    group by unit_2025_code
),

by_unit as (
    select
        unit_2025_code,
        unit_2025_name_vi,
        count(distinct province_code) as provinces_with_data,
        string_agg(distinct province_name_vi, ', ' order by province_name_vi) as pre_2025_provinces_with_data,
        sum(case when year = 2014 then production_t end) as production_2014_t,
        sum(case when year = 2017 then production_t end) as production_2017_t,
        sum(case when year = 2014 then harvested_area_ha end) as harvested_area_2014_ha,
        sum(case when year = 2017 then harvested_area_ha end) as harvested_area_2017_ha,
        count(distinct case when year = 2014 then province_code end) as provinces_2014,
        count(distinct case when year = 2017 then province_code end) as provinces_2017
    from rice
    group by unit_2025_code, unit_2025_name_vi
)

select
    b.unit_2025_code,
    b.unit_2025_name_vi,
    b.pre_2025_provinces_with_data,
    b.provinces_with_data,
    s.provinces_merged,
    (b.provinces_2014 = s.provinces_merged and b.provinces_2017 = s.provinces_merged) as is_complete,
    b.production_2014_t,
    b.production_2017_t,
    round(b.harvested_area_2014_ha) as harvested_area_2014_ha,
    round(b.harvested_area_2017_ha) as harvested_area_2017_ha,
    round(b.production_2014_t / nullif(b.harvested_area_2014_ha, 0), 2) as yield_2014_t_per_ha,
    round(b.production_2017_t / nullif(b.harvested_area_2017_ha, 0), 2) as yield_2017_t_per_ha,
    round(100.0 * (b.production_2017_t / nullif(b.harvested_area_2017_ha, 0))
        / nullif(b.production_2014_t / nullif(b.harvested_area_2014_ha, 0), 0) - 100, 1) as yield_change_pct
from by_unit as b
inner join unit_size as s
    on s.unit_2025_code = b.unit_2025_code
order by yield_change_pct desc, b.unit_2025_code

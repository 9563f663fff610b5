-- Which crops grew most since 2010? Primary crops (items FAOSTAT reports with a harvested area)
-- with at least 100,000 t in 2010, production 2010 vs the latest year, split into area and yield
-- growth. Top 15 by production growth.
with latest as (
    select max(year) as latest_year
    from curated.agri_crop_production
    where area_harvested_ha is not null
),

pairs as (
    select
        c.item_name,
        c.item_group,
        l.latest_year,
        max(case when c.year = 2010 then c.production_t end) as production_2010_t,
        max(case when c.year = l.latest_year then c.production_t end) as production_latest_t,
        max(case when c.year = 2010 then c.area_harvested_ha end) as area_2010_ha,
        max(case when c.year = l.latest_year then c.area_harvested_ha end) as area_latest_ha,
        max(case when c.year = 2010 then c.yield_kg_per_ha end) as yield_2010_kg_per_ha,
        max(case when c.year = l.latest_year then c.yield_kg_per_ha end) as yield_latest_kg_per_ha
    from curated.agri_crop_production as c
    cross join latest as l
    where c.year in (2010, l.latest_year)
    group by c.item_name, c.item_group, l.latest_year
)

select
    item_name,
    item_group,
    latest_year,
    production_2010_t,
    production_latest_t,
    round(100.0 * production_latest_t / production_2010_t - 100, 1) as production_growth_pct,
    round(100.0 * area_latest_ha / nullif(area_2010_ha, 0) - 100, 1) as area_growth_pct,
    round(100.0 * yield_latest_kg_per_ha / nullif(yield_2010_kg_per_ha, 0) - 100, 1) as yield_growth_pct
from pairs
where production_2010_t >= 100000
  and production_latest_t is not null
  and area_2010_ha is not null
  and area_latest_ha is not null
order by production_growth_pct desc, item_name
limit 15

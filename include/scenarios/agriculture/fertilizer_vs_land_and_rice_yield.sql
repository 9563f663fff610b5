-- Fertilizer intensity vs agricultural land share, with the national rice yield of the same year:
-- did more fertilizer per hectare go with higher rice yields while farmland expanded? Years where
-- the World Bank/FAO fertilizer series has a value (2002-2014 in the current release).
select
    lf.year,
    round(lf.fertilizer_kg_per_ha_arable_land, 1) as fertilizer_kg_per_ha_arable_land,
    round(lf.agricultural_land_pct, 2) as agricultural_land_pct,
    round(rice.yield_kg_per_ha) as rice_yield_kg_per_ha,
    round(rice.production_t) as rice_production_t,
    round(100.0 * lf.fertilizer_kg_per_ha_arable_land
        / first_value(lf.fertilizer_kg_per_ha_arable_land) over (order by lf.year), 1) as fertilizer_index_first_year_100,
    round(100.0 * rice.yield_kg_per_ha
        / first_value(rice.yield_kg_per_ha) over (order by lf.year), 1) as rice_yield_index_first_year_100
from curated.agri_land_and_fertilizer as lf
inner join curated.agri_crop_production as rice
    on rice.year = lf.year
    and rice.item_name = 'Rice'
where lf.fertilizer_kg_per_ha_arable_land is not null
  and lf.agricultural_land_pct is not null
order by lf.year

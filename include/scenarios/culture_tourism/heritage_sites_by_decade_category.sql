-- World Heritage sites by inscription decade and category, with total area and site names.
select
    cast(floor(year_inscribed / 10) * 10 as integer) as inscription_decade,
    category,
    category_vi,
    count(*) as site_count,
    sum(area_ha) as total_area_ha,
    string_agg(site_name_vi, '; ' order by year_inscribed, site_id) as site_names_vi
from curated.tourism_world_heritage_sites
group by 1, 2, 3
order by inscription_decade, category

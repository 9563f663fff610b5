-- Health establishments under provincial departments of health per 10,000 people in each of the 34
-- post-2025 provinces in 2017 (sums of the former provinces, rate re-derived from the sums), ranked,
-- with the change in the count since 2011 on the same boundaries.
with units as (
    select * from curated.health_establishments_province
    where geo_basis = 'unit_2025_34'
)

select
    y2017.area_code as unit_2025_code,
    y2017.area_name_vi as unit_2025_name_vi,
    y2017.province_count as former_provinces,
    y2017.establishments_total,
    y2017.hospitals,
    y2017.commune_health_stations,
    y2017.population_thousand,
    y2017.establishments_per_10k_people,
    y2017.hospitals_per_100k_people,
    rank() over (order by y2017.establishments_per_10k_people desc) as rank_per_10k,
    y2017.establishments_total - y2011.establishments_total as change_since_2011
from units as y2017
left join units as y2011
    on y2011.area_code = y2017.area_code
    and y2011.year = 2011
where y2017.year = 2017
order by y2017.establishments_per_10k_people desc

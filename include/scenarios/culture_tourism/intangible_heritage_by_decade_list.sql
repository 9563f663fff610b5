-- Viet Nam's UNESCO intangible-heritage inscriptions per decade and list, with the element names
-- and how many are shared with other countries. Years are the compiler's (Xoan singing at its 2017
-- transfer to the Representative List).
select
    cast(floor(year_inscribed / 10) * 10 as integer) as inscription_decade,
    list_name_vi,
    list_name_en,
    count(*) as element_count,
    sum(case when is_multinational then 1 else 0 end) as multinational_count,
    string_agg(element_name_vi || ' (' || cast(year_inscribed as varchar) || ')', '; '
        order by year_inscribed, element_name_vi) as element_names_vi
from curated.culture_intangible_heritage_unesco
group by 1, 2, 3
order by inscription_decade, list_name_en desc

-- Which VSIC divisions grew fastest in 2024: the December 2024 year-to-date change of the index
-- of industrial production (January-December 2024 against 2023), beside the whole of industry,
-- the division's section and its 2023 growth (December 2023 year-to-date change).
with december as (
    select category_code, category_level, section_code, category_name_vi, category_name_en, year,
           ytd_yoy_change_pct
    from curated.industry_iip_monthly
    where month in ('2023-12', '2024-12')
),

divisions as (
    select
        d24.category_code as division_code,
        d24.category_name_vi as division_name_vi,
        d24.category_name_en as division_name_en,
        d24.section_code,
        d24.ytd_yoy_change_pct as growth_2024_pct,
        d23.ytd_yoy_change_pct as growth_2023_pct
    from december as d24
    left join december as d23
        on d23.category_code = d24.category_code and d23.year = 2023
    where d24.year = 2024 and d24.category_level = 'division'
)

select
    rank() over (order by divisions.growth_2024_pct desc) as rank_2024,
    divisions.division_code,
    divisions.division_name_vi,
    divisions.division_name_en,
    divisions.section_code,
    divisions.growth_2024_pct,
    divisions.growth_2023_pct,
    sections.ytd_yoy_change_pct as section_growth_2024_pct,
    total.ytd_yoy_change_pct as industry_growth_2024_pct,
    round(divisions.growth_2024_pct - total.ytd_yoy_change_pct, 2) as gap_to_industry_pp
from divisions
inner join december as sections
    on sections.category_code = divisions.section_code and sections.year = 2024
inner join december as total
    on total.category_code = 'B-E' and total.year = 2024
order by rank_2024, divisions.division_code

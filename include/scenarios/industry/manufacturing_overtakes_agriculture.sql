-- Structural change: manufacturing against agriculture, forestry and fishing, share of GDP at
-- current prices and value added in billion VND, with the year manufacturing became larger.
with pivoted as (
    select
        year,
        max(case when activity_code = 'manufacturing' then share_of_gdp_pct end) as manufacturing_share_pct,
        max(case when activity_code = 'agriculture_forestry_fishing' then share_of_gdp_pct end) as agriculture_share_pct,
        max(case when activity_code = 'manufacturing' then value_added_vnd_billion end) as manufacturing_vnd_billion,
        max(case when activity_code = 'agriculture_forestry_fishing' then value_added_vnd_billion end) as agriculture_vnd_billion
    from curated.industry_value_added
    group by year
)

select
    year,
    round(manufacturing_share_pct, 1) as manufacturing_share_of_gdp_pct,
    round(agriculture_share_pct, 1) as agriculture_share_of_gdp_pct,
    round(manufacturing_vnd_billion / agriculture_vnd_billion, 2) as manufacturing_to_agriculture_ratio,
    case when manufacturing_share_pct > agriculture_share_pct then 'manufacturing' else 'agriculture' end as larger_sector
from pivoted
where manufacturing_share_pct is not null
    and agriculture_share_pct is not null
order by year

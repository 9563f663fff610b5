-- Do provinces with more trained workers earn more from wages? 2018, the 63 provinces: the share
-- of trained employed workers beside monthly income per capita from salaries and wages and its
-- share of total income (VHLSS 2018), with both rankings. Province basis only: neither measure
-- can be re-aggregated to the 34 units without denominators the data lacks.
with trained as (
    select area_code as province_code, area_name_vi as province_name_vi, unit_2025_name_vi,
           labour_force_thousand, trained_employed_share_pct
    from curated.labour_force_trained_province
    where geo_basis = 'province_63' and year = 2018
),

income as (
    select province_code, income_total_thousand_vnd, income_wages_thousand_vnd, wages_share_pct
    from curated.labour_income_by_source_province_2018
)

select
    trained.province_code,
    trained.province_name_vi,
    trained.unit_2025_name_vi,
    trained.labour_force_thousand,
    trained.trained_employed_share_pct,
    rank() over (order by trained.trained_employed_share_pct desc) as trained_share_rank,
    income.income_total_thousand_vnd,
    income.income_wages_thousand_vnd,
    income.wages_share_pct,
    rank() over (order by income.income_wages_thousand_vnd desc) as wage_income_rank
from trained
inner join income on income.province_code = trained.province_code
order by trained_share_rank, trained.province_code

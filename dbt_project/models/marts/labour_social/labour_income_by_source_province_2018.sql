-- Monthly average income per capita by source, VHLSS 2018 (GSO), per pre-2025 province, with
-- the 2025 unit each province merged into for reference. Published on the 63-province basis
-- only: a unit's income per capita is a population-weighted mean of its provinces, and no
-- population table is part of this build - an unweighted average would be wrong.
-- The four sources are published as given; they add up to the total within GSO's rounding
-- (components_minus_total_thousand_vnd, -1 to +2).
with income as (
    select * from {{ ref('int_income_provinces_checked') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
)

select
    -- ids
    income.province_code,
    income.year,
    -- strings
    provinces.province_name_vi,
    provinces.unit_2025_code,
    provinces.unit_2025_name_vi,
    -- numerics: thousand VND per person per month
    income.income_total_thousand_vnd,
    income.income_wages_thousand_vnd,
    income.income_agriculture_thousand_vnd,
    income.income_non_farm_thousand_vnd,
    income.income_other_thousand_vnd,
    income.income_wages_thousand_vnd + income.income_agriculture_thousand_vnd
        + income.income_non_farm_thousand_vnd + income.income_other_thousand_vnd
        - income.income_total_thousand_vnd as components_minus_total_thousand_vnd,
    -- numerics: shares of the province's own total (same denominator, no aggregation)
    {{ sd_round('100.0 * income.income_wages_thousand_vnd / income.income_total_thousand_vnd', 1) }} as wages_share_pct,
    {{ sd_round('100.0 * income.income_agriculture_thousand_vnd / income.income_total_thousand_vnd', 1) }} as agriculture_share_pct
from income
inner join provinces
    on provinces.province_code = income.province_code
order by income.province_code

-- Viet Nam's current health expenditure (% of GDP) against the ASEAN median of the same year:
-- members at the time only (asean_accession_year <= year, so Timor-Leste, a member since 2025, is
-- not in the 2000-2023 comparison), with the ASEAN range and Viet Nam's rank (1 = highest share).
with members as (
    select *
    from curated.health_expenditure_asean
    where asean_accession_year <= year
      and health_expenditure_pct_gdp is not null
),

asean as (
    select
        year,
        count(*) as asean_countries_reporting,
        percentile_cont(0.5) within group (order by health_expenditure_pct_gdp) as asean_median_pct_gdp,
        min(health_expenditure_pct_gdp) as asean_min_pct_gdp,
        max(health_expenditure_pct_gdp) as asean_max_pct_gdp
    from members
    group by year
),

ranked as (
    select
        year,
        country_iso3,
        health_expenditure_pct_gdp,
        rank() over (partition by year order by health_expenditure_pct_gdp desc) as rank_in_asean
    from members
)

select
    vn.year,
    round(vn.health_expenditure_pct_gdp, 2) as viet_nam_pct_gdp,
    round(asean.asean_median_pct_gdp, 2) as asean_median_pct_gdp,
    round(vn.health_expenditure_pct_gdp - asean.asean_median_pct_gdp, 2) as gap_to_median_pct_points,
    round(asean.asean_min_pct_gdp, 2) as asean_min_pct_gdp,
    round(asean.asean_max_pct_gdp, 2) as asean_max_pct_gdp,
    vn.rank_in_asean,
    asean.asean_countries_reporting
from ranked as vn
inner join asean
    on asean.year = vn.year
where vn.country_iso3 = 'VNM'
order by vn.year

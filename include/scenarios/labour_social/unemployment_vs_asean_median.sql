-- Viet Nam's unemployment rate (national series) against the median of the ASEAN members
-- reporting that year, and Viet Nam's rank among them (1 = lowest unemployment).
with asean as (
    select
        year,
        country_iso3,
        unemployment_rate_pct,
        rank() over (partition by year order by unemployment_rate_pct) as rank_lowest_first,
        count(*) over (partition by year) as countries_reporting
    from curated.labour_unemployment_asean
),

median_by_year as (
    select year, median(unemployment_rate_pct) as asean_median_pct
    from asean
    group by year
)

select
    vnm.year,
    vnm.unemployment_rate_pct as vnm_unemployment_rate_pct,
    round(median_by_year.asean_median_pct, 3) as asean_median_pct,
    round(vnm.unemployment_rate_pct - median_by_year.asean_median_pct, 3) as gap_pp,
    asean.rank_lowest_first as vnm_rank_lowest_first,
    asean.countries_reporting
from curated.labour_unemployment_rate as vnm
inner join median_by_year
    on median_by_year.year = vnm.year
inner join asean
    on asean.year = vnm.year
    and asean.country_iso3 = 'VNM'
order by vnm.year

-- International arrivals of every published month from 2022 (reopening to international tourists
-- on 15 March 2022) against the same calendar month of 2019, in total and by mode of entry, with
-- the air share. The unpublished months 2020-04 .. 2021-12 are not compared (their counts are
-- NULL, not zero).
with arrivals as (
    select * from curated.tourism_arrivals_monthly_by_mode
    where is_published
),

base_2019 as (
    select
        month_of_year,
        arrivals_total as total_2019,
        arrivals_aviation as aviation_2019,
        arrivals_road as road_2019,
        arrivals_sea as sea_2019
    from arrivals
    where year = 2019
)

select
    arrivals.month,
    arrivals.year,
    arrivals.month_of_year,
    arrivals.arrivals_total,
    base_2019.total_2019,
    round(100.0 * arrivals.arrivals_total / base_2019.total_2019, 1) as total_pct_of_2019,
    round(100.0 * arrivals.arrivals_aviation / base_2019.aviation_2019, 1) as aviation_pct_of_2019,
    round(100.0 * arrivals.arrivals_road / base_2019.road_2019, 1) as road_pct_of_2019,
    round(100.0 * arrivals.arrivals_sea / base_2019.sea_2019, 1) as sea_pct_of_2019,
    round(100.0 * arrivals.arrivals_aviation / arrivals.arrivals_total, 1) as aviation_share_pct
from arrivals
join base_2019
    on base_2019.month_of_year = arrivals.month_of_year
where arrivals.year >= 2022
order by arrivals.month

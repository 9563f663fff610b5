-- Freight tonne-km by mode and calendar year (GSO December-release estimates, 2016-2017 and
-- 2019-2024; 2018 is not in the data): each mode's volume, its share of the total, its rank in the
-- year, the published index against the previous year, and its level against 2019, so 2024's
-- leading mode and the COVID-19 years 2020-2021 can be read side by side.
with yearly as (
    select year, breakdown as mode, value as tonne_km_million, yoy_index, status
    from curated.transport_passenger_freight_monthly_by_mode
    where period_type = 'year'
      and measure = 'freight_tonne_km'
      and breakdown_type = 'mode'
),

totals as (
    select year, value as total_tonne_km_million
    from curated.transport_passenger_freight_monthly_by_mode
    where period_type = 'year'
      and measure = 'freight_tonne_km'
      and breakdown = 'total'
),

base_2019 as (
    select mode, tonne_km_million as tonne_km_2019
    from yearly
    where year = 2019
)

select
    y.year,
    y.mode,
    y.tonne_km_million,
    round(100.0 * y.tonne_km_million / t.total_tonne_km_million, 1) as share_of_total_pct,
    rank() over (partition by y.year order by y.tonne_km_million desc) as rank_in_year,
    y.yoy_index as published_index_prev_year_100,
    round(100.0 * y.tonne_km_million / b.tonne_km_2019, 1) as index_2019_100,
    y.status
from yearly as y
join totals as t on t.year = y.year
left join base_2019 as b on b.mode = y.mode
order by y.year, rank_in_year

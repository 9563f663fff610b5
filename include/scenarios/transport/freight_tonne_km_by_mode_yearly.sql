-- Freight tonne-km by mode and calendar year, 2019-2024 (GSO December-release estimates): each
-- mode's volume, its share of the year's total, its rank in the year, the published index against
-- the previous year, and its level against 2019 from the chained PUBLISHED indices. The chain, not
-- the ratio of two releases' levels, because GSO revises the previous year before computing each
-- index (air tonne-km: 3,562 million in the 2020 release against 1,169 in the 2019 one, yet an index
-- of 45.2), so 2024's leading mode and the COVID-19 years 2020-2021 are read on GSO's own basis.
with yearly as (
    select year, breakdown as mode, value as tonne_km_million, yoy_index, status
    from curated.transport_passenger_freight_monthly_by_mode
    where period_type = 'year'
      and measure = 'freight_tonne_km'
      and breakdown_type = 'mode'
      and year >= 2019
),

totals as (
    select year, value as total_tonne_km_million
    from curated.transport_passenger_freight_monthly_by_mode
    where period_type = 'year'
      and measure = 'freight_tonne_km'
      and breakdown = 'total'
),

chained as (
    -- 2019 = 100; each later year multiplies the published indices since 2020
    select
        *,
        100.0 * exp(sum(case when year > 2019 then ln(yoy_index / 100.0) else 0 end) over (
            partition by mode order by year rows between unbounded preceding and current row
        )) as index_2019_100
    from yearly
)

select
    c.year,
    c.mode,
    c.tonne_km_million,
    round(100.0 * c.tonne_km_million / t.total_tonne_km_million, 1) as share_of_total_pct,
    rank() over (partition by c.year order by c.tonne_km_million desc) as rank_in_year,
    c.yoy_index as published_index_prev_year_100,
    round(c.index_2019_100, 1) as index_2019_100_chained,
    c.status
from chained as c
join totals as t on t.year = c.year
order by c.year, rank_in_year

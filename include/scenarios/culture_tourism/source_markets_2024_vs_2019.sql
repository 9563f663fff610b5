-- International arrivals by source market in 2024 against 2019 (the last year before COVID-19):
-- the ten largest markets of 2024, their share of all arrivals, and how far each has recovered.
-- December-release figures (GSO estimates for the year), as published.
with markets as (
    select * from curated.tourism_arrivals_by_market_annual
    where item_kind = 'market'
),

totals as (
    select year, arrivals as total_arrivals
    from curated.tourism_arrivals_by_market_annual
    where item_kind = 'total'
)

select
    m2024.item_name_vi as market_vi,
    m2024.item_name_en as market_en,
    m2024.continent_name_vi,
    m2024.arrivals as arrivals_2024,
    round(100.0 * m2024.arrivals / t2024.total_arrivals, 1) as share_of_2024_pct,
    m2019.arrivals as arrivals_2019,
    round(100.0 * m2024.arrivals / m2019.arrivals, 1) as recovery_vs_2019_pct,
    rank() over (order by m2024.arrivals desc) as rank_2024
from markets as m2024
inner join totals as t2024 on t2024.year = m2024.year
left join markets as m2019
    on m2019.item_name_vi = m2024.item_name_vi
    and m2019.year = 2019
where m2024.year = 2024
order by m2024.arrivals desc
limit 10

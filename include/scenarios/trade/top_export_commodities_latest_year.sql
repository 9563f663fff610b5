-- Top 10 export commodities in the latest full year (the latest year whose December table is in
-- the data), with their year-to-date value at December (= the year's total as GSO estimated it at
-- the end of December), their growth on the previous year and their share of total exports.
-- Only main commodities (item_type 'commodity'); GSO's list does not cover every product, so the
-- shares do not add up to 100 %. Rows whose source copies disagree carry no value and drop out.
with latest as (
    select max(year) as year
    from curated.trade_goods_exports_imports_monthly
    where flow = 'export' and month = 12 and item_type = 'total'
),

december as (
    select g.year, g.item_vi, g.item_type, g.value_ytd_usd_million, g.growth_ytd_yoy_pct
    from curated.trade_goods_exports_imports_monthly as g
    inner join latest on latest.year = g.year
    where g.flow = 'export' and g.month = 12
),

total as (
    select value_ytd_usd_million as total_usd_million
    from december
    where item_type = 'total'
)

select
    rank() over (order by d.value_ytd_usd_million desc) as rank,
    d.year,
    d.item_vi as commodity_vi,
    round(d.value_ytd_usd_million, 1) as exports_usd_million,
    d.growth_ytd_yoy_pct as growth_on_previous_year_pct,
    round(100 * d.value_ytd_usd_million / t.total_usd_million, 1) as share_of_total_exports_pct
from december as d
cross join total as t
where d.item_type = 'commodity'
  and d.value_ytd_usd_million is not null
order by d.value_ytd_usd_million desc
limit 10

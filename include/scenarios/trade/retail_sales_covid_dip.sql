-- Monthly retail sales of goods and consumer-service revenue 2019-2022 and the COVID-19 dip:
-- the month's best value in the file (revised one release later where available), its index on
-- the same month of the previous year (previous year = 100, first estimate), and the same index
-- for accommodation and food services and for travel services, which the 2021 lockdowns
-- (Jul-Oct 2021) hit hardest. A NULL index means GSO's table gave none (all 2019-03 month indices
-- are empty in the source), so below_previous_year is NULL there too.
with monthly as (
    select
        month_start,
        max(case when category_code = 'total' then value_latest_vnd_billion end) as total_vnd_billion,
        max(case when category_code = 'total' then yoy_index_month end) as total_yoy_index,
        max(case when category_code = 'retail_goods' then yoy_index_month end) as retail_goods_yoy_index,
        max(case when category_code = 'accommodation_food_services' then yoy_index_month end) as accommodation_food_yoy_index,
        max(case when category_code = 'travel_services' then yoy_index_month end) as travel_services_yoy_index
    from curated.trade_retail_services_monthly
    where year between 2019 and 2022
    group by month_start
)

select
    month_start,
    round(total_vnd_billion, 0) as total_vnd_billion,
    total_yoy_index,
    retail_goods_yoy_index,
    accommodation_food_yoy_index,
    travel_services_yoy_index,
    total_yoy_index < 100 as below_previous_year
from monthly
order by month_start

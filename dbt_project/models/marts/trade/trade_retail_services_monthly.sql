-- Retail sales of goods and consumer-service revenue by category and month (GSO monthly table
-- "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng"), billion VND, national: one row per
-- category x reference month. The month's first estimate (E-M of its own release) and the revised
-- figure GSO gave for it one month later (Pre-M of the next release, joined on previous_month_start)
-- are published side by side, with value_latest = revised when there is one, else the estimate.
-- The ownership rows (Nhà nước, Ngoài nhà nước, Tập thể, Tư nhân, Cá thể, Khu vực có vốn đầu tư
-- nước ngoài) are excluded: they are a second breakdown of the same total mixed into the category
-- column, exist only in 2012-01..2015-07 (16-43 of 158 months) and change classification in
-- 2014-04 (Tập thể/Tư nhân/Cá thể give way to Ngoài nhà nước), so they cannot form a series. A new
-- category label maps to no code and fails the contract's not-null check instead of being published.
with retail as (
    select * from {{ ref('stg_gso__retail_sales_monthly') }}
),

by_activity as (
    select
        *,
        case category_vi
            when 'TỔNG SỐ' then 'total'
            when 'Bán lẻ hàng hóa' then 'retail_goods'
            when 'Dịch vụ lưu trú, ăn uống' then 'accommodation_food_services'
            when 'Du lịch lữ hành' then 'travel_services'
            when 'Dịch vụ khác' then 'other_services'
        end as category_code
    from retail
    where category_vi not in (
        'Nhà nước', 'Ngoài nhà nước', 'Tập thể', 'Tư nhân', 'Cá thể', 'Khu vực có vốn đầu tư nước ngoài'
    )
),

revised as (
    -- the next release's "previous month" figure, keyed by the month it belongs to
    select
        category_vi,
        previous_month_start as month_start,
        value_previous_month_revised_vnd_billion as value_revised_vnd_billion
    from retail
    where value_previous_month_revised_vnd_billion is not null
)

select
    -- ids
    a.category_code,
    a.category_vi,
    case when a.category_code = 'total' then 'total' else 'component' end as category_type,
    -- dates
    a.month_start,
    cast(extract(year from a.month_start) as integer) as year,
    cast(extract(month from a.month_start) as integer) as month,
    a.release_date,
    -- numerics: billion VND (rounded to 3 decimals = million VND, to drop the repo's float noise)
    {{ sd_round('a.value_estimate_vnd_billion', 3) }} as value_estimate_vnd_billion,
    {{ sd_round('r.value_revised_vnd_billion', 3) }} as value_revised_vnd_billion,
    {{ sd_round('coalesce(r.value_revised_vnd_billion, a.value_estimate_vnd_billion)', 3) }} as value_latest_vnd_billion,
    {{ sd_round('a.value_ytd_vnd_billion', 3) }} as value_ytd_vnd_billion,
    -- numerics: indices, same period of the previous year = 100
    {{ sd_round('a.yoy_index_month', 2) }} as yoy_index_month,
    {{ sd_round('a.yoy_index_ytd', 2) }} as yoy_index_ytd
from by_activity as a
left join revised as r
    on r.category_vi = a.category_vi and r.month_start = a.month_start
order by a.month_start, a.category_code

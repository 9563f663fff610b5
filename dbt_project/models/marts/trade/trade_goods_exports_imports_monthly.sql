-- Viet Nam's exports and imports of goods by main commodity and month (GSO monthly tables, as
-- parsed by hiennguyen9874/vn-macroeconomics), million USD, national: one row per flow x item x
-- reference month. Copies written by the repo's parser are collapsed upstream
-- (int_trade_goods_monthly_deduplicated: source_row_count, source_copies_status; disagreeing copies
-- publish no value). Aggregate rows are told apart from commodities by item_type so that nobody
-- sums a total with its parts. Items appear only in the months GSO listed them: a missing item-month
-- is absent, never a zero. Values are rounded to 3 decimals (thousand USD) and growth rates to 2
-- decimals, only to remove the float artefacts of the repo's arithmetic (147.29999999999927,
-- -23.200000000000003).
with goods as (
    select * from {{ ref('int_trade_goods_monthly_deduplicated') }}
)

select
    -- ids
    flow,
    item_vi,
    case
        when item_label_raw = 'TỔNG TRỊ GIÁ' then 'total'
        when item_label_raw in ('Khu vực kinh tế trong nước', 'Khu vực có vốn đầu tư NN') then 'economic_sector'
        -- exports only: the FDI sector's goods other than crude oil (FDI = crude oil + this row)
        when flow = 'export' and item_label_raw = 'Hàng hoá khác' then 'fdi_sector_other_goods'
        when is_of_which then 'of_which'
        else 'commodity'
    end as item_type,
    parent_item_vi,
    -- dates
    month_start,
    cast(extract(year from month_start) as integer) as year,
    cast(extract(month from month_start) as integer) as month,
    release_date,
    -- numerics: million USD
    {{ sd_round('value_month_usd_million', 3) }} as value_month_usd_million,
    {{ sd_round('value_ytd_usd_million', 3) }} as value_ytd_usd_million,
    -- numerics: % change vs the same period of the previous year
    {{ sd_round('growth_month_yoy_pct', 2) }} as growth_month_yoy_pct,
    {{ sd_round('growth_ytd_yoy_pct', 2) }} as growth_ytd_yoy_pct,
    -- lineage of the parser's copies
    cast(source_row_count as integer) as source_row_count,
    source_copies_status
from goods
order by flow, month_start, item_vi

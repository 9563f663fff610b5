{#- Staging for one GSO monthly goods-trade table (xk.csv exports, nk.csv imports) as parsed by
    hiennguyen9874/vn-macroeconomics: both files have the same layout, one row per item label and
    release. Typed and renamed honestly here; nothing is deduplicated yet (that needs every copy of a
    month, see int_trade_goods_monthly_deduplicated):
      * "Total-M" is the month's value, "Total-YOY" is the YEAR-TO-DATE value (a cumulative level,
        not a change), "YOY"/"YTD-YOY" are the repo's index-100 (a % change vs the same period of
        the previous year); "MOM" is not carried (computed by the repo against every copy of the
        previous month, so duplicated items get several values; derivable from the month values);
      * "Month" is the reference month, "Date" the GSO release date;
      * empty cells are NULL, never 0;
      * "Trong đó: ..." (of which) rows are sub-rows of the item printed right above them in the GSO
        table: the parent is the nearest preceding non-"Trong đó" row of the same month in the
        file's order (the unnamed index column), and is carried so the same label under two parents
        (cars and motorcycles, 2014) are two items. -#}
{% macro gso_goods_trade_staging(table_name, flow) %}
with source as (
    select * from {{ source('gso', table_name) }}
),

renamed as (
    select
        -- ids
        '{{ flow }}' as flow,
        {{ sd_try_cast('"column"', 'integer') }} as source_row_order,
        trim(nganh) as item_label_raw,
        -- numerics: million USD (unit of the GSO table; not in the file)
        {{ gso_number('total_m') }} as value_month_usd_million,
        {{ gso_number('total_yoy') }} as value_ytd_usd_million,
        -- numerics: % change vs the same period of the previous year (repo: index - 100)
        {{ gso_number('yoy') }} as growth_month_yoy_pct,
        {{ gso_number('ytd_yoy') }} as growth_ytd_yoy_pct,
        -- dates
        cast(trim(month) || '-01' as date) as month_start,
        {{ sd_try_cast('trim(date)', 'date') }} as release_date,
        _loaded_at
    from source
),

flagged as (
    select
        *,
        item_label_raw like 'Trong đó%' as is_of_which
    from renamed
),

with_parent_row as (
    select
        *,
        max(case when not is_of_which then source_row_order end) over (
            partition by month_start order by source_row_order
            rows between unbounded preceding and current row
        ) as parent_row_order
    from flagged
)

select
    r.flow,
    r.source_row_order,
    r.item_label_raw,
    case when r.is_of_which then p.item_label_raw end as parent_item_vi,
    case
        when r.is_of_which then p.item_label_raw || ' - ' || r.item_label_raw
        else r.item_label_raw
    end as item_vi,
    r.is_of_which,
    r.value_month_usd_million,
    r.value_ytd_usd_million,
    r.growth_month_yoy_pct,
    r.growth_ytd_yoy_pct,
    r.month_start,
    r.release_date,
    r._loaded_at
from with_parent_row as r
left join flagged as p
    on p.source_row_order = r.parent_row_order
{% endmacro %}

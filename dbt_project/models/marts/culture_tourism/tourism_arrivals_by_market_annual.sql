-- International visitor arrivals to Viet Nam per year by mode of arrival and by source market
-- (continents and the countries GSO lists), from GSO's December releases 2016, 2017, 2019-2024.
-- The values are GSO's December estimates for the year, never revised here. A label the seed
-- gso_tourism_item_names does not know stops the build naming it (no guessed names).
{%- set unnamed -%}
'tourism_arrivals_by_market_annual: row "' || arrivals.label_published || '" (' || arrivals.item_kind
|| ', year ' || cast(arrivals.year as varchar) || ') has no name in seeds/culture_tourism/gso_tourism_item_names.csv'
{%- endset %}
with arrivals as (
    select * from {{ ref('int_tourism_arrivals_named') }}
),

final as (
    select
        -- ids
        arrivals.year,
        arrivals.item_kind,
        case when arrivals.item_name_vi is null then {{ sd_raise_error(unnamed) }} else arrivals.item_name_vi end as item_name_vi,
        -- strings
        arrivals.item_name_en,
        arrivals.continent_name_vi,
        arrivals.label_published as item_label_published,
        arrivals.row_in_table as table_row_order,
        -- numerics
        arrivals.arrivals,
        arrivals.year_yoy_pct as arrivals_yoy_pct,
        -- 2023 India 2844 and Poland 2777: the decimal separator was lost (284.4 and 277.7);
        -- derived from the 2022 release's remainder rows: India 2022 = Asia remainder 2022
        -- (288864) - 2023 remainder / 3.5856 (151064) = 137800 -> 392141 / 137800 = 284.6 %;
        -- Poland 2022 = Europe remainder 2022 + Finland (76764 + 3946) - 295685 / 4.3262 = 12361
        -- -> 34331 / 12361 = 277.7 %. Published as is, flagged.
        coalesce(arrivals.year = 2023 and arrivals.item_name_vi in ('Ấn Độ', 'Ba Lan'), false) as yoy_pct_decimal_lost,
        arrivals.unit_published,
        'december_estimate' as value_status,
        -- checks of the table's own sums (expectations: within 10 arrivals)
        arrivals.modes_sum_gap_arrivals,
        arrivals.parts_sum_gap_arrivals
    from arrivals
)

select * from final
order by year, table_row_order

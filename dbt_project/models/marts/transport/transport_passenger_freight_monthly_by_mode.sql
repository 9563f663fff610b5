-- National passenger and freight transport by area and mode, from the GSO monthly statistical
-- tables: one row per period, measure and breakdown. The periods are exactly the columns the
-- releases carry: the release month (December 2016, 2017, 2019-2024; February 2025), the calendar
-- year (December releases), January-November 2016 and 2017 (the only actuals) and January-February
-- 2025. No month is derived (January 2025 = January-February minus February is NOT computed).
with rows_ as (
    select * from {{ ref('int_transport_monthly_rows') }}
),

periods as (
    -- the release month (always an estimate published before the month ended)
    select
        'month' as period_type, year, month as month_from, month as month_to,
        month_value as value, month_status as status_vi,
        month_yoy_index as yoy_index, month_mom_index as mom_index,
        measure, breakdown_type, breakdown, label_published, release_date, values_moved_from_row_above
    from rows_
    where month_status is not null
    union all
    -- the calendar year (December releases)
    select
        'year', year, 1, 12,
        year_value, year_status, year_yoy_index, cast(null as float8),
        measure, breakdown_type, breakdown, label_published, release_date, values_moved_from_row_above
    from rows_
    where year_status is not null
    union all
    -- January-February 2025
    select
        'year_to_date', year, 1, ytd_month_to,
        ytd_value, ytd_status, ytd_yoy_index, cast(null as float8),
        measure, breakdown_type, breakdown, label_published, release_date, values_moved_from_row_above
    from rows_
    where ytd_status is not null
    union all
    -- January-November 2016 and 2017, actuals ("Thực hiện"); no index published
    select
        'year_to_date', year, 1, prior_ytd_month_to,
        prior_ytd_value, prior_ytd_status, cast(null as float8), cast(null as float8),
        measure, breakdown_type, breakdown, label_published, release_date, values_moved_from_row_above
    from rows_
    where prior_ytd_status is not null
),

shaped as (
    select
        period_type,
        cast(cast(year as varchar) || '-' || lpad(cast(month_from as varchar), 2, '0') || '-01' as date) as period_start,
        year,
        month_from,
        month_to,
        measure,
        case measure
            when 'passengers_carried' then 'Hành khách vận chuyển'
            when 'passenger_km' then 'Hành khách luân chuyển'
            when 'freight_carried' then 'Hàng hóa vận chuyển'
            when 'freight_tonne_km' then 'Hàng hóa luân chuyển'
        end as measure_name_vi,
        case measure
            when 'passengers_carried' then 'thousand passengers'
            when 'passenger_km' then 'million passenger-km'
            when 'freight_carried' then 'thousand tonnes'
            when 'freight_tonne_km' then 'million tonne-km'
        end as unit,
        breakdown_type,
        breakdown,
        label_published as breakdown_label_vi,
        -- float artefacts and unrounded computed values: 3 decimals of the unit (1 passenger,
        -- 1 tonne, 1,000 passenger-km or tonne-km), indices to 2 decimals
        {{ sd_round('value', 3) }} as value,
        case status_vi
            when 'Ước tính' then 'estimate'
            when 'Thực hiện' then 'actual'
            else {{ sd_raise_error("'transport_passenger_freight_monthly_by_mode: unknown status ' || status_vi") }}
        end as status,
        status_vi,
        {{ sd_round('yoy_index', 2) }} as yoy_index,
        {{ sd_round('mom_index', 2) }} as mom_index,
        release_date,
        values_moved_from_row_above
    from periods
),

with_sums as (
    select
        *,
        sum(case when breakdown_type = 'mode' then value end) over (
            partition by period_type, period_start, month_to, measure
        ) as modes_sum,
        sum(case when breakdown_type = 'area' then value end) over (
            partition by period_type, period_start, month_to, measure
        ) as areas_sum
    from shaped
),

with_previous as (
    -- The same period one year earlier in this dataset (the previous December release). GSO
    -- computes its index against its own revised figure for that period, so the published
    -- index and the ratio of the two releases' levels can differ widely (2020 freight tonnes:
    -- index 94.8, levels 105.4); the flag says where.
    select
        cur.*,
        prev.value as previous_release_value
    from with_sums as cur
    left join shaped as prev
        on prev.period_type = cur.period_type
        and prev.period_type in ('month', 'year')
        and prev.year = cur.year - 1
        and prev.month_from = cur.month_from
        and prev.month_to = cur.month_to
        and prev.measure = cur.measure
        and prev.breakdown = cur.breakdown
)

select
    period_type,
    period_start,
    year,
    month_from,
    month_to,
    measure,
    measure_name_vi,
    unit,
    breakdown_type,
    breakdown,
    breakdown_label_vi,
    value,
    status,
    status_vi,
    yoy_index,
    mom_index,
    -- on total rows: how far the five modes and the two areas are from the total, in % of it
    case when breakdown = 'total' and value <> 0 then {{ sd_round('100.0 * (modes_sum - value) / value', 4) }} end as modes_sum_gap_pct,
    case when breakdown = 'total' and value <> 0 then {{ sd_round('100.0 * (areas_sum - value) / value', 4) }} end as areas_sum_gap_pct,
    case
        when previous_release_value is null or previous_release_value = 0 or yoy_index is null then null
        else abs(100.0 * value / previous_release_value - yoy_index) <= 2
    end as yoy_index_matches_previous_release,
    release_date,
    values_moved_from_row_above
from with_previous

-- International visitor arrivals to Viet Nam by mode of entry, national, one row per month
-- 2013-01 .. 2025-12 (VNAT statistics as transcribed by the source repository). The 21 months
-- VNAT did not publish (2020-04 .. 2021-12, borders closed) are kept as rows with
-- is_published = false and NULL counts - never 0, never interpolated - so a reader sees the gap.
with arrivals as (
    select * from {{ ref('int_vnat_arrivals_months_checked') }}
),

final as (
    select
        -- dates
        month,
        year,
        month_of_year,
        -- flags
        is_published,
        -- numerics
        arrivals_total,
        arrivals_aviation,
        arrivals_road,
        arrivals_sea,
        -- check of the source
        modes_sum_matches_total
    from arrivals
)

select * from final
order by month

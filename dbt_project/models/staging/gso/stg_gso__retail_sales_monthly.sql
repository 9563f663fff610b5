-- GSO monthly retail sales of goods and consumer-service revenue (tongmuc.csv, as parsed by
-- hiennguyen9874/vn-macroeconomics), one row per category x release, typed and honestly renamed:
--   * "E-M" is the estimate for the reference month made in that month's release, "Pre-M" the
--     figure for the PREVIOUS month as revised in this release (it belongs to month - 1), "YTD" the
--     cumulative value January..reference month, all billion VND (unit not in the file);
--   * "M-YOY" and "YTD-YOY" are indices (same period of the previous year = 100), unlike the
--     goods tables' index - 100; kept as indices;
--   * "E-MOM", "MOM" and "M" are the repo's own derivations (M = next release's Pre-M, else E-M)
--     and are not carried: the mart re-derives the revised figure from Pre-M itself;
--   * empty cells are NULL, never 0. Ownership rows are still here (excluded in the mart).
with source as (
    select * from {{ source('gso', 'retail_sales_monthly') }}
),

renamed as (
    select
        -- ids
        {{ sd_try_cast('"column"', 'integer') }} as source_row_order,
        trim(phan_loai) as category_vi,
        -- numerics: billion VND
        {{ gso_number('e_m') }} as value_estimate_vnd_billion,
        {{ gso_number('pre_m') }} as value_previous_month_revised_vnd_billion,
        {{ gso_number('ytd') }} as value_ytd_vnd_billion,
        -- numerics: index, same period of the previous year = 100
        {{ gso_number('m_yoy') }} as yoy_index_month,
        {{ gso_number('ytd_yoy') }} as yoy_index_ytd,
        -- dates
        cast(trim(month) || '-01' as date) as month_start,
        cast(trim(premonth) || '-01' as date) as previous_month_start,
        {{ sd_try_cast('trim(date)', 'date') }} as release_date,
        _loaded_at
    from source
)

select * from renamed

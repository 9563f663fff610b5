{#- Staging for one GSO monthly transport table (table_kind 'passengers' or 'freight'): one workbook
    per release (December 2016, 2017, 2019-2024 and February 2025), stacked by the loader with the
    release key (the publication date) and the per-release constants declared in the registry (year,
    month, which columns the release carries and whether they are estimates or actuals). Both tables
    share this layout. Typed only: the row labels stay as published and are classified downstream
    (int_transport_monthly_rows), because what a row means depends on the section heading above it. -#}
{% macro gso_monthly_transport_staging(table_name, table_kind) %}
with source as (
    select * from {{ source('gso', table_name) }}
),

renamed as (
    select
        -- ids
        '{{ table_kind }}' as table_kind,
        {{ sd_try_cast('release', 'date') }} as release_date,
        _row_number as raw_row_number,
        -- strings: labels as published; column B holds the breakdown items in 2016-2017 and
        -- 2023-2024, column A everything in 2019-2022 and 2025
        nullif(trim(label_a), '') as label_a,
        nullif(trim(label_b), '') as label_b,
        nullif(trim(month_status), '') as month_status,
        nullif(trim(year_status), '') as year_status,
        nullif(trim(ytd_status), '') as ytd_status,
        nullif(trim(prior_ytd_status), '') as prior_ytd_status,
        -- numerics: values in the unit of the section heading; indices with the same period of
        -- the previous year (or the previous month) = 100
        {{ gso_number('month_value') }} as month_value,
        {{ gso_number('month_mom_index') }} as month_mom_index,
        {{ gso_number('month_yoy_index') }} as month_yoy_index,
        {{ gso_number('year_value') }} as year_value,
        {{ gso_number('year_yoy_index') }} as year_yoy_index,
        {{ gso_number('ytd_value') }} as ytd_value,
        {{ gso_number('ytd_yoy_index') }} as ytd_yoy_index,
        {{ gso_number('prior_ytd_value') }} as prior_ytd_value,
        -- dates: the reference year and month of the release (registry constants)
        {{ sd_try_cast('year', 'integer') }} as year,
        {{ sd_try_cast('month', 'integer') }} as month,
        {{ sd_try_cast('ytd_month_to', 'integer') }} as ytd_month_to,
        {{ sd_try_cast('prior_ytd_month_to', 'integer') }} as prior_ytd_month_to,
        _loaded_at
    from source
)

select * from renamed
{% endmacro %}

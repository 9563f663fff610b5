-- Labour force (thousand persons) and the share of employed workers who are trained (%), per
-- pre-2025 province and year 2010-2018, the two GSO tables joined on code and year. Both files'
-- codes and names are checked against dim_province (province_code_name_checked: a disagreement
-- stops the build naming it), and the two files must name the same province for a code-year.
{%- set names_differ -%}
'int_labour_force_trained_provinces_checked: code ' || labour.province_code || ' year '
|| cast(labour.year as varchar) || ' is "' || labour.province_name_raw || '" in labor_force_vn.csv but "'
|| trained.province_name_raw || '" in trained_employee15_vn.csv'
{%- endset %}
with labour as (
    select * from {{ province_code_name_checked(ref('stg_gso__labour_force_province'),
        'int_labour_force_trained_provinces_checked (labor_force_vn.csv)', ['labour_force_thousand', 'year']) }} as checked_labour
),

trained as (
    select * from {{ province_code_name_checked(ref('stg_gso__trained_workers_province'),
        'int_labour_force_trained_provinces_checked (trained_employee15_vn.csv)', ['trained_share_pct', 'year']) }} as checked_trained
),

joined as (
    select
        -- ids
        coalesce(labour.province_code, trained.province_code) as province_code,
        coalesce(labour.year, trained.year) as year,
        -- strings
        case
            when {{ vn_name_key('labour.province_name_raw') }} <> {{ vn_name_key('trained.province_name_raw') }}
                then {{ sd_raise_error(names_differ) }}
            else coalesce(labour.province_name_raw, trained.province_name_raw)
        end as province_name_raw,
        -- numerics
        labour.labour_force_thousand,
        trained.trained_share_pct
    from labour
    full outer join trained
        on trained.province_code = labour.province_code
        and trained.year = labour.year
)

select * from joined

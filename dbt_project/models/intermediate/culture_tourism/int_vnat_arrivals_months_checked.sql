-- VNAT monthly arrivals with the month as a date (first day of the month) and the checks the
-- ambiguous "d/m/yyyy" source date needs. The build stops (sd_raise_error) with the source text
-- in the message when
--   * a date does not parse as d/m/yyyy, or its day is not 1 (every month is written as its
--     first day; another day would mean the file switched to m/d or to daily dates), or
--   * a month does not follow the previous row's month by exactly one (a month missing,
--     repeated or out of order - also what a day/month swap would produce).
-- A month is "published" when VNAT gave a total; the 21 blank months (2020-04 .. 2021-12,
-- borders closed) stay NULL in every count. modes_sum_matches_total compares the published
-- total with aviation + road + sea; it is NULL for an unpublished month and the mart's
-- contract requires it to be true otherwise (a transcription error stops publication).
{%- set bad_date -%}
'tourism_arrivals_monthly_by_mode: source row ' || cast(source_row_number as varchar)
|| ' date "' || coalesce(source_date_text, '') || '" is not d/m/yyyy with day 1'
{%- endset %}
{%- set bad_sequence -%}
'tourism_arrivals_monthly_by_mode: source row ' || cast(source_row_number as varchar)
|| ' date "' || source_date_text || '" does not follow the previous row''s month by one month'
{%- endset %}
with arrivals as (
    select * from {{ ref('stg_vnat__monthly_arrivals_by_mode') }}
),

dated as (
    select
        case
            when source_day is null or month_of_year is null or year is null
                or source_day <> 1 or month_of_year not between 1 and 12
                -- typed like the other branch: PostgreSQL's raise_error returns text
                then cast({{ sd_raise_error(bad_date) }} as integer)
            else year * 12 + month_of_year - 1
        end as month_index,
        arrivals.*
    from arrivals
),

sequenced as (
    select
        dated.*,
        month_index - lag(month_index) over (order by source_row_number) as months_since_previous_row
    from dated
),

checked as (
    select
        case
            when months_since_previous_row is not null and months_since_previous_row <> 1
                then cast({{ sd_raise_error(bad_sequence) }} as date)
            else cast(
                cast(year as varchar) || '-' || lpad(cast(month_of_year as varchar), 2, '0') || '-01'
                as date)
        end as month,
        sequenced.*
    from sequenced
),

final as (
    select
        -- dates
        month,
        year,
        month_of_year,
        -- flags
        (arrivals_total is not null) as is_published,
        -- numerics
        arrivals_total,
        arrivals_aviation,
        arrivals_road,
        arrivals_sea,
        case
            when arrivals_total is null then null
            else coalesce(arrivals_aviation + arrivals_road + arrivals_sea = arrivals_total, false)
        end as modes_sum_matches_total,
        -- lineage
        source_row_number,
        source_date_text
    from checked
)

select * from final

-- GSO monthly index of industrial production (IIP), as parsed from the monthly statistical
-- tables by hiennguyen9874/vn-macroeconomics: one row per category (whole industry, VSIC
-- section or division) and monthly release. Typed and renamed only; duplicates, the VSIC
-- classification and the re-keying of revised values happen in int_iip_monthly_classified.
--
-- The repository stores every change as index - 100 in double precision, so GSO's "106,33"
-- arrives as 6.329999999999998 and older tables carry the XLS cell's full precision
-- (4.379315938424924 where GSO shows 104,38). Every change is rounded to 2 decimals, GSO's
-- published precision (sd_round: the same arithmetic on DuckDB and PostgreSQL).
-- An index of 0 (a change of exactly -100) is impossible for an industry aggregate: it is
-- most likely an empty XLS cell the parser read as 0 (once: manufacturing, MOM, 2015-07); NULL.
-- Dropped: the unnamed leading column (a pandas row index) and the repository's derived "YOY"
-- (the next release's "YOY-Pre-Month" where there is one, else the first estimate, unflagged -
-- and before the 2018-12 release that column holds the previous month's YEAR-TO-DATE change, so
-- "YOY" mixes cumulative and monthly figures); int_iip_monthly_classified rebuilds the monthly
-- revision from the raw column where it is one and keeps it apart from the first estimate.
{%- set change_cols = {
    'mom': 'mom_change_pct',
    'e_yoy': 'yoy_change_first_estimate_pct',
    'ytd_yoy': 'ytd_yoy_change_pct',
    'yoy_pre_month': 'previous_month_yoy_change_revised_pct',
} %}
with source as (
    select * from {{ source('gso', 'iip_monthly') }}
),

renamed as (
    select
        -- strings
        nullif(trim(nganh), '') as category_name_vi,
        -- numerics: percent changes (index - 100), as text → double
        {% for raw, name in change_cols.items() -%}
        {{ sd_try_cast("nullif(trim(" ~ raw ~ "), '')", 'double') }} as {{ name }}_raw,
        {% endfor -%}
        -- dates: reference month and the month before it as "YYYY-MM"; the GSO release date
        nullif(trim(month), '') as reference_month,
        nullif(trim(premonth), '') as previous_month,
        {{ sd_try_cast("nullif(trim(date), '')", 'date') }} as release_date,
        _loaded_at
    from source
),

cleaned as (
    select
        category_name_vi,
        {% for raw, name in change_cols.items() -%}
        case
            when {{ name }}_raw = -100 then null
            else {{ sd_round(name ~ '_raw', 2) }}
        end as {{ name }},
        {% endfor -%}
        reference_month,
        previous_month,
        release_date,
        _loaded_at
    from renamed
)

select * from cleaned

{#- Staging for any World Bank Indicators API v2 payload (one indicator, one country).
    Every WB indicator source has the same flattened raw shape, so the typing lives here once;
    each stg_worldbank__<entity>.sql is a one-line call. Records arrive newest-first and with
    JSON ints and floats mixed in one series; years with a null value are kept as NULL here and
    dropped or kept by the mart (a null year is "not reported", not zero). -#}
{% macro worldbank_indicator_staging(table_name) %}
with source as (
    select * from {{ source('worldbank', table_name) }}
),

renamed as (
    select
        -- ids
        indicator_id,
        countryiso3code as country_iso3,
        -- strings
        indicator_value as indicator_name,
        country_value as country_name,
        nullif(trim(unit), '') as unit,
        nullif(trim(obs_status), '') as obs_status,
        -- numerics
        try_cast(value as double) as value,
        try_cast("decimal" as integer) as decimals,
        -- dates
        try_cast("date" as integer) as year,
        _loaded_at
    from source
)

select * from renamed
{% endmacro %}

{#- Staging for a World Bank bulk-download CSV (API_<CODE>_DS2_en_csv_v2_*.csv): one row per
    economy with one column per year. The loader already skipped the 4 preamble lines and the
    BOM and normalised the year headers to c_1960 .. c_<last year>; the trailing comma of every
    line arrives as an empty column (named "column"), which is not carried over. Year columns are
    picked by name pattern, so a newer release with an extra year needs no change here.
    Output is long: one row per economy x year, with an empty cell (year not reported) as a NULL
    value, like worldbank_indicator_staging. Aggregates (World, regions, income groups) are still
    mixed in: filter them with stg_worldbank__country_metadata (aggregates have no region).
    DuckDB-only: the COLUMNS('<regex>') star expression (inside a SQL-standard UNPIVOT clause). -#}
{% macro worldbank_bulk_csv_staging(table_name) %}
with source as (
    select
        country_code,
        country_name,
        indicator_code,
        indicator_name,
        columns('^c_[0-9]{4}$'),
        _loaded_at
    from {{ source('worldbank', table_name) }}
),

unpivoted as (
    select *
    from source
    unpivot include nulls (value_text for year_column in (columns('^c_[0-9]{4}$')))
),

renamed as (
    select
        -- ids
        nullif(trim(country_code), '') as country_code,
        nullif(trim(indicator_code), '') as indicator_code,
        -- strings
        nullif(trim(country_name), '') as country_name,
        nullif(trim(indicator_name), '') as indicator_name,
        -- numerics: empty string = not reported
        try_cast(nullif(trim(value_text), '') as double) as value,
        -- dates
        cast(substr(year_column, 3) as integer) as year,
        _loaded_at
    from unpivoted
)

select * from renamed
{% endmacro %}

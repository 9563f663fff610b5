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

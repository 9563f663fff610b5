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
        {{ sd_try_cast('value', 'double') }} as value,
        {{ sd_try_cast('"decimal"', 'integer') }} as decimals,
        -- dates
        {{ sd_try_cast('"date"', 'integer') }} as year,
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
    The year columns are read from the raw table when the model runs (sd_columns_matching) and
    unpivoted with sd_unpivot (DuckDB's COLUMNS('<regex>') and UNPIVOT have no PostgreSQL form). -#}
{% macro worldbank_bulk_csv_staging(table_name) %}
with source as (
    select * from {{ source('worldbank', table_name) }}
),

unpivoted as (
    {{ sd_unpivot(
        'source',
        ids=['country_code', 'country_name', 'indicator_code', 'indicator_name', '_loaded_at'],
        values=sd_columns_matching(source('worldbank', table_name), '^c_[0-9]{4}$'),
        name_column='year_column',
        value_columns=['value_text'],
        include_nulls=true,
    ) }}
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
        {{ sd_try_cast("nullif(trim(value_text), '')", 'double') }} as value,
        -- dates
        cast(substr(year_column, 3) as integer) as year,
        _loaded_at
    from unpivoted
)

select * from renamed
{% endmacro %}

{#- Staging for a World Bank indicator kept as a PowerShell re-serialised cache of the API
    response ([meta, {"value": [records], "Count": n}], BOM, pretty-printed) instead of the wire
    format. The loader lands it as two raw rows: the meta object and the wrapper, whose value
    column is the records' JSON text. The wrapper row's records are unnested and typed to exactly
    the columns of worldbank_indicator_staging (so wire-format and cached indicators stack with
    UNION ALL); the meta row is dropped.
    DuckDB: from_json with a structure, unnest of a list of structs (postgres__: json_array_elements). -#}
{% macro worldbank_cached_json_staging(table_name) -%}
    {{- return(adapter.dispatch('worldbank_cached_json_staging', 'sector_datasets')(table_name)) -}}
{%- endmacro %}

{% macro default__worldbank_cached_json_staging(table_name) %}
with source as (
    select * from {{ source('worldbank', table_name) }}
),

records as (
    select
        unnest(from_json(value, '[{"indicator": {"id": "VARCHAR", "value": "VARCHAR"},
            "country": {"id": "VARCHAR", "value": "VARCHAR"}, "countryiso3code": "VARCHAR",
            "date": "VARCHAR", "value": "VARCHAR", "unit": "VARCHAR", "obs_status": "VARCHAR",
            "decimal": "VARCHAR"}]')) as record,
        _loaded_at
    from source
    where "count" is not null  -- the wrapper row; the meta row has page/total instead
),

renamed as (
    select
        -- ids
        record.indicator.id as indicator_id,
        record.countryiso3code as country_iso3,
        -- strings
        record.indicator.value as indicator_name,
        record.country.value as country_name,
        nullif(trim(record.unit), '') as unit,
        nullif(trim(record.obs_status), '') as obs_status,
        -- numerics
        try_cast(record.value as double) as value,
        try_cast(record.decimal as integer) as decimals,
        -- dates
        try_cast(record.date as integer) as year,
        _loaded_at
    from records
)

select * from renamed
{% endmacro %}

{#- PostgreSQL: the wrapper row's records with json_array_elements, each field read as text with
    ->> (a JSON number keeps its written digits, as DuckDB's from_json to VARCHAR does). -#}
{% macro postgres__worldbank_cached_json_staging(table_name) %}
with source as (
    select * from {{ source('worldbank', table_name) }}
),

records as (
    select
        records.record,
        source._loaded_at
    from source
    cross join lateral json_array_elements(cast(source.value as json)) as records (record)
    where source."count" is not null  -- the wrapper row; the meta row has page/total instead
),

renamed as (
    select
        -- ids
        record -> 'indicator' ->> 'id' as indicator_id,
        record ->> 'countryiso3code' as country_iso3,
        -- strings
        record -> 'indicator' ->> 'value' as indicator_name,
        record -> 'country' ->> 'value' as country_name,
        nullif(trim(record ->> 'unit'), '') as unit,
        nullif(trim(record ->> 'obs_status'), '') as obs_status,
        -- numerics
        {{ sd_try_cast("record ->> 'value'", 'double') }} as value,
        {{ sd_try_cast("record ->> 'decimal'", 'integer') }} as decimals,
        -- dates
        {{ sd_try_cast("record ->> 'date'", 'integer') }} as year,
        _loaded_at
    from records
)

select * from renamed
{% endmacro %}

{#- Countries only, from a bulk-CSV staging model (worldbank_bulk_csv_staging): the ~48
    aggregates (World, regions, income and lending groups) mixed into the file are the economies
    with no region in stg_worldbank__country_metadata, and an economy missing from the metadata
    altogether (INX "Not classified") is dropped by the inner join too. Years with an empty cell
    (not reported) are dropped: a missing year is not a zero. One row per country x reported
    year, the value renamed to value_alias (a name carrying its unit). -#}
{% macro worldbank_bulk_countries(staging_model, value_alias) %}
select
    -- ids
    bulk.country_code as country_iso3,
    bulk.indicator_code,
    -- strings
    countries.country_name,
    countries.region,
    countries.income_group,
    -- numerics
    bulk.value as {{ value_alias }},
    -- dates
    bulk.year
from {{ ref(staging_model) }} as bulk
inner join {{ ref('stg_worldbank__country_metadata') }} as countries
    on countries.country_code = bulk.country_code
where not countries.is_aggregate
    and bulk.value is not null
{% endmacro %}

{#- Viet Nam's reported values of several World Bank indicators (staging models shaped by
    worldbank_indicator_staging or worldbank_cached_json_staging), stacked and labelled from the
    reviewable seed worldbank_indicator_labels (Vietnamese name and unit per indicator code).
    One row per indicator x year with a value; years not (yet) published are left out, never
    zero-filled. An indicator without a label row is not returned: add it to the seed.
    Columns, in this order: indicator_code, year, indicator_name_en (the World Bank's own name),
    indicator_name_vi, unit, and the value named value_alias. -#}
{% macro worldbank_viet_nam_indicators(staging_models, value_alias='value') %}
select
    indicators.indicator_id as indicator_code,
    indicators.year,
    indicators.indicator_name as indicator_name_en,
    labels.indicator_name_vi,
    labels.unit,
    indicators.value as {{ value_alias }}
from (
    {%- for model in staging_models %}
    select * from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
) as indicators
inner join {{ ref('worldbank_indicator_labels') }} as labels
    on labels.indicator_code = indicators.indicator_id
where indicators.country_iso3 = 'VNM'
    and indicators.value is not null
{% endmacro %}

{#- A World Bank country panel (a model shaped by worldbank_bulk_countries) restricted to the
    ASEAN member states of the shared reference seed asean_members, with their Vietnamese name
    and accession year; one row per member x reported year of indicator_code.
    Columns: country_iso3, year, country_name_en (the World Bank's name), country_name_vi,
    income_group, asean_accession_year, value_column. -#}
{% macro worldbank_asean_panel(countries_model, indicator_code, value_column) %}
select
    countries.country_iso3,
    countries.year,
    countries.country_name as country_name_en,
    asean_members.country_name_vi,
    countries.income_group,
    asean_members.accession_year as asean_accession_year,
    countries.{{ value_column }}
from {{ ref(countries_model) }} as countries
inner join {{ ref('asean_members') }} as asean_members
    on asean_members.country_iso3 = countries.country_iso3
where countries.indicator_code = '{{ indicator_code }}'
{% endmacro %}

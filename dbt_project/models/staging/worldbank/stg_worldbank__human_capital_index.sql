-- HD.HCI.OVRL Human Capital Index (0-1), Viet Nam (source 63, country "Vietnam"), from a
-- PowerShell re-serialised cache of the API response ([meta, {"value": [records], "Count": n}],
-- BOM, pretty-printed). The loader lands it as two raw rows: the meta object and the wrapper,
-- whose value column is the records' JSON text.
-- Handled here: the wrapper row's records are unnested and typed to exactly the columns of
-- worldbank_indicator_staging (so wire-format and cached indicators stack with UNION ALL); the
-- meta row is dropped. Same logic as stg_worldbank__tertiary_enrolment (a shared macro in
-- macros/worldbank.sql is proposed to the platform owner).
-- DuckDB-only: from_json with a structure, unnest of a list of structs.
with source as (
    select * from {{ source('worldbank', 'human_capital_index') }}
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

-- One row per World Bank economy code. Aggregates (World, regions, income and lending groups)
-- are the rows with an empty Region: they are kept here and flagged, so marts can drop them.
with source as (
    select * from {{ source('worldbank', 'country_metadata') }}
),

renamed as (
    select
        -- ids
        nullif(trim(country_code), '') as country_code,
        -- strings (empty string = not applicable; the trailing empty column is not carried over)
        nullif(trim(tablename), '') as country_name,
        nullif(trim(region), '') as region,
        nullif(trim(incomegroup), '') as income_group,
        nullif(trim(specialnotes), '') as special_notes,
        _loaded_at
    from source
),

flagged as (
    select
        *,
        -- flags
        region is null as is_aggregate
    from renamed
)

select * from flagged

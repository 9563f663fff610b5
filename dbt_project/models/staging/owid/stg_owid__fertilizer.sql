-- OWID "Fertilizer use per hectare of land - FAO & Federico", Vietnam rows (2002-2014).
-- Handled here: the long descriptive header is renamed to a name with its unit
-- (kg of nutrient per ha of arable land, per the dataset's datapackage.json).
with source as (
    select * from {{ source('owid', 'fertilizer') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics
        try_cast(nullif(trim(fertilizer_consumption_fao_2017_federico_2008), '') as double)
            as fertilizer_kg_per_ha_arable_land,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
)

select * from renamed

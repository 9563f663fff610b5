-- Mean annual exposure to PM2.5 (World Bank EN.ATM.PM25.MC.M3, via OWID), Viet Nam, one row per
-- year. Handled here: the unit (micrograms per cubic metre, population-weighted mean) moved into
-- the column name.
with source as (
    select * from {{ source('owid', 'pm25_exposure') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics
        try_cast(nullif(trim(pm25_exposure), '') as double) as pm25_mean_annual_exposure_ugm3,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
)

select * from renamed

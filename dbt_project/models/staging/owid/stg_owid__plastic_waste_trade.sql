-- UN Comtrade HS 3915 plastic waste trade for Viet Nam (via OWID), one row per year.
-- Handled here: empty cells -> NULL; every column renamed with its unit (the datapackage states
-- none: quantities are tonnes per the OWID grapher; per-capita values equal tonnes x 1000 /
-- population, i.e. kilograms per person; shares are percent of the world total). Net exports
-- are exports minus imports and are negative when Viet Nam imports more: kept as published.
-- The re-export and re-import columns are empty for Viet Nam; they are typed here (all NULL)
-- and not published.
with source as (
    select * from {{ source('owid', 'plastic_waste_trade') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as country_name,
        -- numerics: quantities (tonnes)
        try_cast(nullif(trim(plastic_waste_exports), '') as double) as exports_t,
        try_cast(nullif(trim(plastic_waste_imports), '') as double) as imports_t,
        try_cast(nullif(trim(plastic_waste_reexports), '') as double) as reexports_t,
        try_cast(nullif(trim(plastic_waste_reimports), '') as double) as reimports_t,
        try_cast(nullif(trim(plastic_waste_net_exports), '') as double) as net_exports_t,
        -- numerics: per capita (kilograms per person)
        try_cast(nullif(trim(plastic_waste_exports_per_capita), '') as double) as exports_kg_per_capita,
        try_cast(nullif(trim(plastic_waste_imports_per_capita), '') as double) as imports_kg_per_capita,
        try_cast(nullif(trim(net_exports_per_capita), '') as double) as net_exports_kg_per_capita,
        try_cast(nullif(trim(plastic_waste_reexports_per_capita), '') as double) as reexports_kg_per_capita,
        try_cast(nullif(trim(plastic_waste_reimports_per_capita), '') as double) as reimports_kg_per_capita,
        -- numerics: share of the world total (percent)
        try_cast(nullif(trim(share_global_plastic_waste_exports), '') as double) as share_global_exports_pct,
        try_cast(nullif(trim(share_global_plastic_waste_imports), '') as double) as share_global_imports_pct,
        try_cast(nullif(trim(share_global_plastic_waste_reexports), '') as double) as share_global_reexports_pct,
        try_cast(nullif(trim(share_global_plastic_waste_reimports), '') as double) as share_global_reimports_pct,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
)

select * from renamed

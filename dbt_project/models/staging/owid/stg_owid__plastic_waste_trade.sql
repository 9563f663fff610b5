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
        {{ sd_try_cast("nullif(trim(plastic_waste_exports), '')", 'double') }} as exports_t,
        {{ sd_try_cast("nullif(trim(plastic_waste_imports), '')", 'double') }} as imports_t,
        {{ sd_try_cast("nullif(trim(plastic_waste_reexports), '')", 'double') }} as reexports_t,
        {{ sd_try_cast("nullif(trim(plastic_waste_reimports), '')", 'double') }} as reimports_t,
        {{ sd_try_cast("nullif(trim(plastic_waste_net_exports), '')", 'double') }} as net_exports_t,
        -- numerics: per capita (kilograms per person)
        {{ sd_try_cast("nullif(trim(plastic_waste_exports_per_capita), '')", 'double') }} as exports_kg_per_capita,
        {{ sd_try_cast("nullif(trim(plastic_waste_imports_per_capita), '')", 'double') }} as imports_kg_per_capita,
        {{ sd_try_cast("nullif(trim(net_exports_per_capita), '')", 'double') }} as net_exports_kg_per_capita,
        {{ sd_try_cast("nullif(trim(plastic_waste_reexports_per_capita), '')", 'double') }} as reexports_kg_per_capita,
        {{ sd_try_cast("nullif(trim(plastic_waste_reimports_per_capita), '')", 'double') }} as reimports_kg_per_capita,
        -- numerics: share of the world total (percent)
        {{ sd_try_cast("nullif(trim(share_global_plastic_waste_exports), '')", 'double') }} as share_global_exports_pct,
        {{ sd_try_cast("nullif(trim(share_global_plastic_waste_imports), '')", 'double') }} as share_global_imports_pct,
        {{ sd_try_cast("nullif(trim(share_global_plastic_waste_reexports), '')", 'double') }} as share_global_reexports_pct,
        {{ sd_try_cast("nullif(trim(share_global_plastic_waste_reimports), '')", 'double') }} as share_global_reimports_pct,
        -- dates
        {{ sd_try_cast('year', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

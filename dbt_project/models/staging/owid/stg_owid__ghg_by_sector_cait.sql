-- Climate Watch CAIT 2021 GHG emissions by sector (via OWID), Viet Nam, unpivoted from one wide
-- row per year to one row per year x sector, with the unit in the column names: each sector's
-- total in million tonnes CO2-equivalent and its "(per capita)" twin in tonnes CO2-equivalent per
-- person (OWID's dataset units; the file states neither).
-- DuckDB-only: the simplified UNPIVOT statement with column pairs.
with source as (
    select * from {{ source('owid', 'ghg_by_sector_cait') }}
),

unpivoted as (
    unpivot source
    on
        (agriculture, agriculture_per_capita) as agriculture,
        (aviation_and_shipping, aviation_and_shipping_per_capita) as aviation_and_shipping,
        (buildings, buildings_per_capita) as buildings,
        (electricity_and_heat, electricity_and_heat_per_capita) as electricity_and_heat,
        (energy, energy_per_capita) as energy,
        (fugitive_emissions, fugitive_emissions_per_capita) as fugitive_emissions,
        (industry, industry_per_capita) as industry,
        (land_use_change_and_forestry, land_use_change_and_forestry_per_capita) as land_use_change_and_forestry,
        (manufacturing_and_construction, manufacturing_and_construction_per_capita) as manufacturing_and_construction,
        (other_fuel_combustion, other_fuel_combustion_per_capita) as other_fuel_combustion,
        (total_excluding_lucf, total_excluding_lucf_per_capita) as total_excluding_lucf,
        (total_including_lucf, total_including_lucf_per_capita) as total_including_lucf,
        (transport, transport_per_capita) as transport,
        (waste, waste_per_capita) as waste
    into name sector_code value emissions_text, emissions_per_capita_text
),

renamed as (
    select
        -- ids
        sector_code,
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics
        try_cast(nullif(trim(emissions_text), '') as double) as emissions_mt_co2e,
        try_cast(nullif(trim(emissions_per_capita_text), '') as double) as emissions_t_co2e_per_capita,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from unpivoted
)

select * from renamed

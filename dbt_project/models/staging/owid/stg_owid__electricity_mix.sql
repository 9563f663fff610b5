-- Electricity mix (BP & Ember via OWID) for Viet Nam, one wide row per year 1965-2021.
-- Handled here: empty cells -> NULL (before 1985 only hydro and zero nuclear/solar/wind are
-- filled; demand, imports and emissions start in 2000); every column renamed so that its unit is
-- in the name (TWh, kWh per capita, percent of generation, MtCO2, gCO2/kWh): the raw headers
-- "Coal (% electricity)" became coal_electricity when normalised, which hides the unit.
-- Source groups: fossil_fuels = coal + oil + gas; renewables = hydro + solar + wind + bioenergy
-- + other renewables; low_carbon = renewables + nuclear.
with source as (
    select * from {{ source('owid', 'electricity_mix') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as country_name,
        -- numerics: generation by source (TWh)
        {{ sd_try_cast("nullif(trim(electricity_from_coal_twh), '')", 'double') }} as generation_coal_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_oil_twh), '')", 'double') }} as generation_oil_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_gas_twh), '')", 'double') }} as generation_gas_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_nuclear_twh), '')", 'double') }} as generation_nuclear_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_hydro_twh), '')", 'double') }} as generation_hydro_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_solar_twh), '')", 'double') }} as generation_solar_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_wind_twh), '')", 'double') }} as generation_wind_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_bioenergy_twh), '')", 'double') }} as generation_bioenergy_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_other_renewables_excluding_bioenergy_twh), '')", 'double') }} as generation_other_renewables_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_other_renewables_including_bioenergy_twh), '')", 'double') }} as generation_other_renewables_incl_bioenergy_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_fossil_fuels_twh), '')", 'double') }} as generation_fossil_fuels_twh,
        {{ sd_try_cast("nullif(trim(electricity_from_renewables_twh), '')", 'double') }} as generation_renewables_twh,
        {{ sd_try_cast("nullif(trim(low_carbon_electricity_twh), '')", 'double') }} as generation_low_carbon_twh,
        -- numerics: totals (TWh, MtCO2, gCO2/kWh)
        {{ sd_try_cast("nullif(trim(electricity_generation_twh), '')", 'double') }} as generation_total_twh,
        {{ sd_try_cast("nullif(trim(electricity_demand_twh), '')", 'double') }} as demand_twh,
        {{ sd_try_cast("nullif(trim(net_imports_twh), '')", 'double') }} as net_imports_twh,
        {{ sd_try_cast("nullif(trim(emissions_mtco2), '')", 'double') }} as emissions_mtco2,
        {{ sd_try_cast("nullif(trim(carbon_intensity_of_electricity_gco2_kwh), '')", 'double') }} as carbon_intensity_gco2_per_kwh,
        -- numerics: per capita (kWh per person)
        {{ sd_try_cast("nullif(trim(coal_electricity_per_capita_kwh), '')", 'double') }} as per_capita_coal_kwh,
        {{ sd_try_cast("nullif(trim(oil_electricity_per_capita_kwh), '')", 'double') }} as per_capita_oil_kwh,
        {{ sd_try_cast("nullif(trim(gas_electricity_per_capita_kwh), '')", 'double') }} as per_capita_gas_kwh,
        {{ sd_try_cast("nullif(trim(nuclear_electricity_per_capita_kwh), '')", 'double') }} as per_capita_nuclear_kwh,
        {{ sd_try_cast("nullif(trim(hydro_electricity_per_capita_kwh), '')", 'double') }} as per_capita_hydro_kwh,
        {{ sd_try_cast("nullif(trim(solar_electricity_per_capita_kwh), '')", 'double') }} as per_capita_solar_kwh,
        {{ sd_try_cast("nullif(trim(wind_electricity_per_capita_kwh), '')", 'double') }} as per_capita_wind_kwh,
        {{ sd_try_cast("nullif(trim(bioenergy_electricity_per_capita_kwh), '')", 'double') }} as per_capita_bioenergy_kwh,
        {{ sd_try_cast("nullif(trim(other_renewable_electricity_excluding_bioenergy_per_capita_kwh), '')", 'double') }} as per_capita_other_renewables_kwh,
        {{ sd_try_cast("nullif(trim(other_renewable_electricity_including_bioenergy_per_capita_kwh), '')", 'double') }} as per_capita_other_renewables_incl_bioenergy_kwh,
        {{ sd_try_cast("nullif(trim(fossil_fuel_electricity_per_capita_kwh), '')", 'double') }} as per_capita_fossil_fuels_kwh,
        {{ sd_try_cast("nullif(trim(renewable_electricity_per_capita_kwh), '')", 'double') }} as per_capita_renewables_kwh,
        {{ sd_try_cast("nullif(trim(low_carbon_electricity_per_capita_kwh), '')", 'double') }} as per_capita_low_carbon_kwh,
        {{ sd_try_cast("nullif(trim(per_capita_electricity_kwh), '')", 'double') }} as per_capita_total_kwh,
        -- numerics: share of electricity generation (percent)
        {{ sd_try_cast("nullif(trim(coal_electricity), '')", 'double') }} as share_coal_pct,
        {{ sd_try_cast("nullif(trim(oil_electricity), '')", 'double') }} as share_oil_pct,
        {{ sd_try_cast("nullif(trim(gas_electricity), '')", 'double') }} as share_gas_pct,
        {{ sd_try_cast("nullif(trim(nuclear_electricity), '')", 'double') }} as share_nuclear_pct,
        {{ sd_try_cast("nullif(trim(hydro_electricity), '')", 'double') }} as share_hydro_pct,
        {{ sd_try_cast("nullif(trim(solar_electricity), '')", 'double') }} as share_solar_pct,
        {{ sd_try_cast("nullif(trim(wind_electricity), '')", 'double') }} as share_wind_pct,
        {{ sd_try_cast("nullif(trim(bioenergy_electricity), '')", 'double') }} as share_bioenergy_pct,
        {{ sd_try_cast("nullif(trim(other_renewables_excluding_bioenergy_electricity), '')", 'double') }} as share_other_renewables_pct,
        {{ sd_try_cast("nullif(trim(other_renewables_including_bioenergy_electricity), '')", 'double') }} as share_other_renewables_incl_bioenergy_pct,
        {{ sd_try_cast("nullif(trim(fossil_fuels_electricity), '')", 'double') }} as share_fossil_fuels_pct,
        {{ sd_try_cast("nullif(trim(renewables_electricity), '')", 'double') }} as share_renewables_pct,
        {{ sd_try_cast("nullif(trim(low_carbon_electricity_electricity), '')", 'double') }} as share_low_carbon_pct,
        -- numerics: other shares (percent)
        {{ sd_try_cast("nullif(trim(net_electricity_imports_as_a_share_of_demand), '')", 'double') }} as net_imports_share_of_demand_pct,
        {{ sd_try_cast("nullif(trim(electricity_as_share_of_primary_energy), '')", 'double') }} as electricity_share_of_primary_energy_pct,
        -- dates
        {{ sd_try_cast('year', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

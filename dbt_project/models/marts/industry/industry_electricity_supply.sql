-- Electricity supply totals of Viet Nam (BP and Ember via OWID), one row per year: generation,
-- demand and net imports (TWh), generation per person (kWh), CO2 emissions of power generation
-- (MtCO2), carbon intensity (gCO2/kWh) and electricity's share of primary energy (%). Years with
-- no total at all (1965-1984: only hydro is reported) are dropped; demand, imports and
-- emissions start in 2000 and are NULL before.
with mix as (
    select * from {{ ref('stg_owid__electricity_mix') }}
)

select
    -- ids
    year,
    -- numerics
    generation_total_twh as generation_twh,
    demand_twh,
    net_imports_twh,
    net_imports_share_of_demand_pct,
    per_capita_total_kwh as generation_per_capita_kwh,
    emissions_mtco2,
    carbon_intensity_gco2_per_kwh,
    electricity_share_of_primary_energy_pct
from mix
where coalesce(
    generation_total_twh, demand_twh, net_imports_twh, per_capita_total_kwh,
    emissions_mtco2, carbon_intensity_gco2_per_kwh, electricity_share_of_primary_energy_pct
) is not null
order by year

-- Carbon intensity of Viet Nam's power generation against the coal share since 2000: how the
-- coal build-out and the solar boom moved gCO2 per kWh and total power-sector emissions.
select
    supply.year,
    round(supply.carbon_intensity_gco2_per_kwh) as carbon_intensity_gco2_per_kwh,
    round(supply.emissions_mtco2, 1) as emissions_mtco2,
    round(supply.generation_twh, 1) as generation_twh,
    round(mix.share_of_generation_pct, 1) as coal_share_pct
from curated.industry_electricity_supply as supply
inner join curated.industry_electricity_generation_mix as mix
    on mix.year = supply.year
    and mix.source_code = 'coal'
where supply.carbon_intensity_gco2_per_kwh is not null
order by supply.year

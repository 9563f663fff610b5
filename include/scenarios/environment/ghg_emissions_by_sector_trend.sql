-- Viet Nam's greenhouse-gas emissions by main sector (CAIT): every fifth year and the latest,
-- each sector's MtCO2e, its share of the total excluding land use, and its growth since 1990.
with sectors as (
    select *
    from curated.environment_ghg_emissions
    where sector_level = 'sector'
),

totals as (
    select year, emissions_mt_co2e as total_excl_lucf_mt_co2e
    from curated.environment_ghg_emissions
    where sector_code = 'total_excluding_lucf'
),

base as (
    select sector_code, emissions_mt_co2e as emissions_1990_mt_co2e
    from sectors
    where year = 1990
)

select
    sectors.year,
    sectors.sector_code,
    sectors.sector_name_vi,
    sectors.sector_name_en,
    sectors.emissions_mt_co2e,
    sectors.emissions_t_co2e_per_capita,
    case
        when sectors.parent_sector_code = 'total_excluding_lucf'
            then round(100.0 * sectors.emissions_mt_co2e / totals.total_excl_lucf_mt_co2e, 1)
    end as share_of_total_excl_lucf_pct,
    round(sectors.emissions_mt_co2e - base.emissions_1990_mt_co2e, 2) as change_since_1990_mt_co2e
from sectors
inner join totals
    on totals.year = sectors.year
inner join base
    on base.sector_code = sectors.sector_code
where sectors.year % 5 = 0
    or sectors.year = (select max(year) from curated.environment_ghg_emissions)
order by sectors.year, sectors.emissions_mt_co2e desc

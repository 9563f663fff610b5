-- Electricity generation growth against real GDP growth: the electricity elasticity of growth
-- (generation growth / GDP growth), a planning input for power development plans.
with supply as (
    select
        year,
        generation_twh,
        lag(generation_twh) over (order by year) as generation_twh_previous,
        lag(year) over (order by year) as previous_year
    from curated.industry_electricity_supply
)

select
    supply.year,
    round(supply.generation_twh, 1) as generation_twh,
    round(100 * (supply.generation_twh / supply.generation_twh_previous - 1), 1) as generation_growth_pct,
    round(macro.gdp_real_growth_pct, 1) as gdp_real_growth_pct,
    round((supply.generation_twh / supply.generation_twh_previous - 1) * 100 / macro.gdp_real_growth_pct, 2) as electricity_elasticity
from supply
inner join curated.industry_macro_context as macro
    on macro.year = supply.year
where supply.previous_year = supply.year - 1
    and macro.gdp_real_growth_pct is not null
    and macro.gdp_real_growth_pct <> 0
order by supply.year

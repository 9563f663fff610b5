-- Coal against renewables in Viet Nam's electricity generation since 2000: shares (%) and TWh,
-- with solar and wind separated to show the 2019-2021 solar boom.
with mix as (
    select
        year,
        max(case when source_code = 'coal' then share_of_generation_pct end) as coal_share_pct,
        max(case when source_code = 'renewables' then share_of_generation_pct end) as renewables_share_pct,
        max(case when source_code = 'hydro' then share_of_generation_pct end) as hydro_share_pct,
        sum(case when source_code in ('solar', 'wind') then share_of_generation_pct end) as solar_wind_share_pct,
        max(case when source_code = 'coal' then generation_twh end) as coal_twh,
        max(case when source_code = 'renewables' then generation_twh end) as renewables_twh
    from curated.industry_electricity_generation_mix
    where year >= 2000
    group by year
)

select
    year,
    round(coal_share_pct, 1) as coal_share_pct,
    round(renewables_share_pct, 1) as renewables_share_pct,
    round(hydro_share_pct, 1) as hydro_share_pct,
    round(solar_wind_share_pct, 1) as solar_wind_share_pct,
    round(coal_twh, 1) as coal_twh,
    round(renewables_twh, 1) as renewables_twh,
    case when coal_share_pct > renewables_share_pct then 'coal' else 'renewables' end as larger_source
from mix
order by year

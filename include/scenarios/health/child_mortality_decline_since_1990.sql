-- Child mortality since 1990: infant and under-5 mortality per year, the decline since 1990 (the
-- MDG 4 baseline), and whether under-5 mortality is at or below the SDG 3.2 target of 25 per 1,000
-- live births.
with rates as (
    select
        year,
        max(case when indicator_code = 'SP.DYN.IMRT.IN' then value end) as infant_mortality_per_1000_live_births,
        max(case when indicator_code = 'SH.DYN.MORT' then value end) as under5_mortality_per_1000_live_births
    from curated.health_mortality_indicators
    where indicator_code in ('SP.DYN.IMRT.IN', 'SH.DYN.MORT')
      and year >= 1990
    group by year
),

baseline as (
    select infant_mortality_per_1000_live_births as infant_1990, under5_mortality_per_1000_live_births as under5_1990
    from rates
    where year = 1990
)

select
    rates.year,
    rates.infant_mortality_per_1000_live_births,
    rates.under5_mortality_per_1000_live_births,
    round(100.0 * (1 - rates.infant_mortality_per_1000_live_births / baseline.infant_1990), 1) as infant_decline_since_1990_pct,
    round(100.0 * (1 - rates.under5_mortality_per_1000_live_births / baseline.under5_1990), 1) as under5_decline_since_1990_pct,
    rates.under5_mortality_per_1000_live_births <= 25 as meets_sdg_3_2_under5_target
from rates
cross join baseline
order by rates.year

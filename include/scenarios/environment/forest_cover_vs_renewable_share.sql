-- Forest cover and the renewable share of energy in Viet Nam, year by year, next to energy use per
-- person and Viet Nam's rank among the ASEAN members reporting a renewable share that year
-- (1 = highest share). Years where both forest cover and renewable share are reported.
with indicators as (
    select * from curated.environment_national_indicators
),

viet_nam as (
    select
        year,
        max(value) filter (where indicator_code = 'AG.LND.FRST.ZS') as forest_area_pct_of_land,
        max(value) filter (where indicator_code = 'EG.FEC.RNEW.ZS') as renewable_share_pct,
        max(value) filter (where indicator_code = 'EG.USE.PCAP.KG.OE') as energy_use_kgoe_per_capita
    from indicators
    where country_iso3 = 'VNM'
    group by year
),

asean_rank as (
    select
        year,
        country_iso3,
        rank() over (partition by year order by value desc) as renewable_rank_in_asean,
        count(*) over (partition by year) as asean_members_reporting,
        median(value) over (partition by year) as asean_median_renewable_pct
    from indicators
    where indicator_code = 'EG.FEC.RNEW.ZS'
)

select
    viet_nam.year,
    round(viet_nam.forest_area_pct_of_land, 1) as forest_area_pct_of_land,
    round(viet_nam.renewable_share_pct, 1) as renewable_share_pct,
    round(viet_nam.energy_use_kgoe_per_capita, 0) as energy_use_kgoe_per_capita,
    asean_rank.renewable_rank_in_asean,
    asean_rank.asean_members_reporting,
    round(asean_rank.asean_median_renewable_pct, 1) as asean_median_renewable_pct
from viet_nam
inner join asean_rank
    on asean_rank.year = viet_nam.year
    and asean_rank.country_iso3 = 'VNM'
where viet_nam.forest_area_pct_of_land is not null
    and viet_nam.renewable_share_pct is not null
order by viet_nam.year

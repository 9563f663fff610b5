-- Unemployment rate (% of labour force, modelled ILO estimate) of Viet Nam and the other ASEAN
-- member states, one row per country x year with a reported value (aggregates already removed in
-- int_unemployment_countries_joined; membership from the shared seed asean_members).
with asean as (
    {{ worldbank_asean_panel(
        'int_unemployment_countries_joined',
        indicator_code='SL.UEM.TOTL.ZS',
        value_column='unemployment_rate_pct',
    ) }}
)

select * from asean
order by country_iso3, year

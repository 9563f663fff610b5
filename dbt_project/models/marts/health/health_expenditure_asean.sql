-- Current health expenditure (% of GDP) of Viet Nam and the other ASEAN member states,
-- one row per country x year with a reported value (aggregates already removed in
-- int_health_expenditure_countries_joined; membership from the shared seed asean_members).
with asean as (
    {{ worldbank_asean_panel(
        'int_health_expenditure_countries_joined',
        indicator_code='SH.XPD.CHEX.GD.ZS',
        value_column='health_expenditure_pct_gdp',
    ) }}
)

select
    country_iso3,
    country_name_en,
    country_name_vi,
    income_group,
    asean_accession_year,
    year,
    health_expenditure_pct_gdp
from asean

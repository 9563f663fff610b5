-- Unemployment rate (% of labour force, modelled ILO estimate) of Viet Nam and the other ASEAN
-- member states, one row per country x year with a reported value (aggregates already removed in
-- int_unemployment_countries_joined).
with countries as (
    select * from {{ ref('int_unemployment_countries_joined') }}
    where indicator_code = 'SL.UEM.TOTL.ZS'
),

-- ASEAN membership (asean.org): the five founders in 1967, then Brunei 1984, Viet Nam 1995,
-- Lao PDR and Myanmar 1997, Cambodia 1999, Timor-Leste (11th member) on 26 October 2025.
-- Vietnamese short names as written by the Ministry of Foreign Affairs. (The same list is in
-- the health sector's health_expenditure_asean; a shared reference seed would remove the copy.)
asean_members as (
    select *
    from (
        values
            ('IDN', 'In-đô-nê-xi-a', 1967),
            ('MYS', 'Ma-lai-xi-a', 1967),
            ('PHL', 'Phi-líp-pin', 1967),
            ('SGP', 'Xinh-ga-po', 1967),
            ('THA', 'Thái Lan', 1967),
            ('BRN', 'Bru-nây', 1984),
            ('VNM', 'Việt Nam', 1995),
            ('LAO', 'Lào', 1997),
            ('MMR', 'Mi-an-ma', 1997),
            ('KHM', 'Cam-pu-chia', 1999),
            ('TLS', 'Ti-mo Lét-xtê', 2025)
    ) as members (country_iso3, country_name_vi, asean_accession_year)
),

final as (
    select
        -- ids
        countries.country_iso3,
        countries.year,
        -- strings
        countries.country_name as country_name_en,
        asean_members.country_name_vi,
        countries.income_group,
        -- numerics
        asean_members.asean_accession_year,
        countries.unemployment_rate_pct
    from countries
    inner join asean_members
        on asean_members.country_iso3 = countries.country_iso3
)

select * from final
order by country_iso3, year

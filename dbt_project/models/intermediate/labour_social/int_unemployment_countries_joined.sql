-- Unemployment (% of labour force, modelled ILO estimate) for countries only, one row per
-- country x reported year (every year before 1991 is unreported): aggregates and unreported years
-- removed as for every WDI bulk CSV (macros/worldbank.sql). The country metadata is the source
-- wb_country_metadata, declared by the health sector.
{{ worldbank_bulk_countries('stg_worldbank__unemployment_bulk', 'unemployment_rate_pct') }}

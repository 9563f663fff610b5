-- Current health expenditure (% of GDP) for countries only, one row per country x reported year:
-- aggregates and unreported years removed as for every WDI bulk CSV (macros/worldbank.sql).
{{ worldbank_bulk_countries('stg_worldbank__health_expenditure_bulk', 'health_expenditure_pct_gdp') }}

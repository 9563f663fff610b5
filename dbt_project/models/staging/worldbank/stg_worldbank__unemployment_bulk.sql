-- SL.UEM.TOTL.ZS bulk CSV, all economies, unpivoted to economy x year (aggregates still in; see int_unemployment_countries_joined).
{{ worldbank_bulk_csv_staging('unemployment_bulk') }}

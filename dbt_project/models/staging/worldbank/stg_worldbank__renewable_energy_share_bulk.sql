-- EG.FEC.RNEW.ZS renewable energy share, all economies, bulk CSV unpivoted (aggregates still in).
{{ worldbank_bulk_csv_staging('renewable_energy_share_bulk') }}

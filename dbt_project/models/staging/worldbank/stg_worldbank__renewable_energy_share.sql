-- EG.FEC.RNEW.ZS renewable energy consumption (% of total final energy consumption), Viet Nam.
{{ worldbank_indicator_staging('renewable_energy_share') }}

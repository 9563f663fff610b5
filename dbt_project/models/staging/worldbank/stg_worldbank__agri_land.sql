-- AG.LND.AGRI.ZS agricultural land (% of land area), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('agri_land') }}

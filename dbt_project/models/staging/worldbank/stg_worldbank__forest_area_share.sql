-- AG.LND.FRST.ZS forest area (% of land area), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('forest_area_share') }}

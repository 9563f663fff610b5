-- NE.EXP.GNFS.ZS exports of goods and services (% of GDP), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('exports_gdp') }}

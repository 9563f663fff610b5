-- NE.IMP.GNFS.ZS imports of goods and services (% of GDP), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('imports_gdp') }}

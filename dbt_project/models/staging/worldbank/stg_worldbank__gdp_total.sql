-- NY.GDP.MKTP.CD GDP (current US$), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('gdp_total') }}

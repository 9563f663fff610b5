-- SL.UEM.TOTL.ZS unemployment (% of labour force, modelled ILO estimate), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('unemployment') }}

-- SL.IND.EMPL.ZS employment in industry (% of total employment, modelled ILO estimate), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('industry_employment') }}

-- SL.AGR.EMPL.ZS employment in agriculture (% of total employment, modelled ILO estimate), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('agriculture_employment') }}

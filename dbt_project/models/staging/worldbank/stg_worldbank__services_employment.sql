-- SL.SRV.EMPL.ZS employment in services (% of total employment, modelled ILO estimate), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('services_employment') }}

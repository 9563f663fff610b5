-- FP.CPI.TOTL.ZG inflation, consumer prices (annual %), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('inflation') }}

-- Mean annual exposure to PM2.5 (World Bank EN.ATM.PM25.MC.M3, via OWID), Viet Nam, one row per
-- year. Handled here: the unit (micrograms per cubic metre, population-weighted mean) moved into
-- the column name.
{{ owid_single_indicator_staging(
    'pm25_exposure',
    value_column='pm25_exposure',
    value_alias='pm25_mean_annual_exposure_ugm3',
) }}

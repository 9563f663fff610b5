-- Hanoi_PM2.5_2019_YTD.csv as landed (text columns). A base model only so that the two yearly
-- files can be unioned and typed once in stg_airnow__hanoi_pm25_hourly (dbt Labs' pattern for
-- symmetrical sources). No known errors to correct in this file.
with source as (
    select * from {{ source('airnow', 'hanoi_pm25_2019') }}
)

select * from source

-- Hanoi_PM2.5_2020_YTD.csv as landed (text columns), with its reviewable corrections applied.
-- The monitor's software applied the US daylight-saving switch on 2020-03-08: the label
-- "2020-03-08 03:00 AM" occurs twice and 02:00 AM is missing. A label alone cannot address one
-- of two identical rows, so each row gets an occurrence key "<Date (LT)> #<n>" (n = order of
-- the label in the file) and seeds/corrections/corrections__airnow_hanoi_pm25_2020.csv relabels
-- "2020-03-08 03:00 AM #1" as 02:00 AM. The correction applies only while the row still holds
-- the old label, so an upstream fix makes it a no-op.
with source as (
    select * from {{ source('airnow', 'hanoi_pm25_2020') }}
),

keyed as (
    select
        *,
        date_lt || ' #' || cast(
            row_number() over (partition by date_lt order by _row_number) as varchar
        ) as date_lt_occurrence
    from source
),

corrected as (
    {{ apply_corrections(
        'keyed', 'airnow_hanoi_pm25_2020', 'date_lt_occurrence', ['date_lt'],
        relation=source('airnow', 'hanoi_pm25_2020'), extra_columns=['date_lt_occurrence'],
    ) }}
)

select {{ sd_star_except(source('airnow', 'hanoi_pm25_2020'), ['date_lt_occurrence'], extra=['date_lt_occurrence']) }}
from corrected

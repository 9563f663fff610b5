-- Electricity generation mix of Viet Nam (BP and Ember via OWID), one row per year x source:
-- TWh, share of total generation (%) and kWh per person. The unpivot, labels and the aggregate
-- flag live in int_electricity_mix_unpivoted.
with mix as (
    select * from {{ ref('int_electricity_mix_unpivoted') }}
)

select
    -- ids
    year,
    source_code,
    -- strings
    source_name_en,
    source_name_vi,
    source_group,
    is_aggregate,
    -- numerics
    generation_twh,
    share_of_generation_pct,
    generation_per_capita_kwh
from mix
order by year, source_code

-- Conformed province dimension: the 63 provinces in force until 30 June 2025 (pre-2025 GSO
-- codes) with the official post-2025 unit each one merged into on 1 July 2025.
with provinces as (
    select * from {{ ref('int_provinces_joined') }}
)

select
    -- ids
    province_code,
    -- strings
    province_name_vi,
    province_type,
    province_name_ascii,
    name_key,
    -- post-2025 unit
    unit_2025_code,
    unit_2025_name_vi,
    merge_type
from provinces
order by province_code

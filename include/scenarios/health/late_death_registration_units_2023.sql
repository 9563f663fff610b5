-- Late death registration on the 34 provincial units of 1 July 2025: each unit's share of deaths
-- registered after the legal deadline in 2023, against 2018 and against the national share. The
-- unit's share is late / total over the summed counts of its former provinces (as published in the
-- dataset), never an average of the provinces' shares; the national share is computed the same
-- way over all 34 units (the 63 provinces equal the source's whole-country row).
with units as (
    select
        area_code as unit_2025_code,
        area_name_vi as unit_2025_name_vi,
        province_count as provinces_merged,
        min(provinces_reporting) as min_provinces_reporting,
        max(case when year = 2023 then deaths_registered end) as deaths_registered_2023,
        max(case when year = 2023 then deaths_registered_late end) as deaths_registered_late_2023,
        max(case when year = 2023 then late_registration_share_pct end) as late_share_2023_pct,
        max(case when year = 2018 then late_registration_share_pct end) as late_share_2018_pct
    from curated.health_deaths_registered_province
    where geo_basis = 'unit_2025_34'
      and year in (2018, 2023)
    group by area_code, area_name_vi, province_count
),

national as (
    select round(100.0 * sum(deaths_registered_late_2023) / nullif(sum(deaths_registered_2023), 0), 2) as national_late_share_2023_pct
    from units
)

select
    rank() over (order by u.late_share_2023_pct desc) as rank_2023,
    u.unit_2025_code,
    u.unit_2025_name_vi,
    u.provinces_merged,
    (u.min_provinces_reporting = u.provinces_merged) as is_complete,
    u.deaths_registered_2023,
    u.deaths_registered_late_2023,
    u.late_share_2023_pct,
    u.late_share_2018_pct,
    round(u.late_share_2023_pct - u.late_share_2018_pct, 2) as change_since_2018_pct_points,
    n.national_late_share_2023_pct,
    round(u.late_share_2023_pct - n.national_late_share_2023_pct, 2) as gap_to_national_pct_points
from units as u
cross join national as n
order by rank_2023, u.unit_2025_code

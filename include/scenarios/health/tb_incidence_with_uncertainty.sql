-- TB incidence trend with its uncertainty: WHO point estimate and bounds per 100,000 population,
-- the width of the uncertainty interval, the change of the point estimate since 2000, and whether
-- the year's upper bound is already below the 2000 lower bound (a decline the uncertainty cannot
-- explain away). Notified cases (case notification rate) show the detection gap.
with tb as (
    select
        year,
        incidence_per_100k,
        incidence_per_100k_low,
        incidence_per_100k_high,
        case_notification_rate_per_100k
    from curated.health_tb_burden
    where incidence_per_100k is not null
),

first_year as (
    select incidence_per_100k as incidence_2000, incidence_per_100k_low as incidence_low_2000
    from tb
    where year = 2000
)

select
    tb.year,
    tb.incidence_per_100k,
    tb.incidence_per_100k_low,
    tb.incidence_per_100k_high,
    tb.incidence_per_100k_high - tb.incidence_per_100k_low as uncertainty_width_per_100k,
    round(100.0 * tb.incidence_per_100k / first_year.incidence_2000 - 100, 1) as change_since_2000_pct,
    tb.incidence_per_100k_high < first_year.incidence_low_2000 as below_2000_interval,
    tb.case_notification_rate_per_100k,
    round(100.0 * tb.case_notification_rate_per_100k / tb.incidence_per_100k, 1) as notified_share_of_incidence_pct
from tb
cross join first_year
order by tb.year

-- Index of industrial production (GSO), Viet Nam, one row per VSIC category (whole industry,
-- section or division) and reference month, 2014-02 to 2025-02 except 2017-05 (absent from the
-- source; not filled) and January 2015-2017 (misaligned releases, left out). Changes are
-- percent, rounded to GSO's 2 decimals; the index itself is 100 + the change. yoy_change_pct is
-- the latest figure for the month: the next release's revision where there is one (reference
-- months 2018-11 on), else the first estimate (yoy_change_is_revised says which).
with iip as (
    select * from {{ ref('int_iip_monthly_classified') }}
)

select
    -- ids
    reference_month as month,
    category_code,
    -- strings
    category_level,
    section_code,
    category_name_vi,
    category_name_en,
    -- numerics
    mom_change_pct,
    yoy_change_first_estimate_pct,
    yoy_change_revised_pct,
    coalesce(yoy_change_revised_pct, yoy_change_first_estimate_pct) as yoy_change_pct,
    yoy_change_revised_pct is not null as yoy_change_is_revised,
    ytd_yoy_change_pct,
    -- dates
    {{ sd_try_cast('substr(reference_month, 1, 4)', 'integer') }} as year,
    release_date
from iip
order by month, category_code

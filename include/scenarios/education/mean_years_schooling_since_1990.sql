-- Mean years of schooling of adults since 1990 (UNDP HDR, latest release): total, change since
-- 1990, male-female gap, and the older OWID stitched series for the same year where it exists.
with hdr as (
    select
        year,
        max(case when sex = 'total' then value_years end) as mean_years_total,
        max(case when sex = 'female' then value_years end) as mean_years_female,
        max(case when sex = 'male' then value_years end) as mean_years_male
    from curated.education_schooling_years
    where measure_code = 'mean_years_of_schooling'
        and source_code = 'undp_hdr'
        and year >= 1990
    group by year
),

owid as (
    select year, value_years as mean_years_owid
    from curated.education_schooling_years
    where measure_code = 'mean_years_of_schooling'
        and source_code = 'owid_lee_barro_undp'
),

base as (
    select mean_years_total as mean_years_1990
    from hdr
    where year = 1990
)

select
    hdr.year,
    round(hdr.mean_years_total, 2) as mean_years_total,
    round(hdr.mean_years_total - base.mean_years_1990, 2) as change_since_1990_years,
    round(hdr.mean_years_male - hdr.mean_years_female, 2) as male_minus_female_years,
    round(owid.mean_years_owid, 2) as mean_years_owid_series,
    round(hdr.mean_years_total - owid.mean_years_owid, 2) as hdr_minus_owid_years
from hdr
cross join base
left join owid
    on hdr.year = owid.year
order by hdr.year

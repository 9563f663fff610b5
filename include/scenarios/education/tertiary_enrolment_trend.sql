-- Tertiary gross enrolment ratio since 1990: change against the previous observation (with the
-- gap in years, as some years are not reported) and against 2000.
with tertiary as (
    select
        year,
        value_pct,
        observation_gap_years,
        value_pct - lag(value_pct) over (order by year) as change_since_previous_pp
    from curated.education_enrolment_completion
    where indicator_code = 'SE.TER.ENRR'
),

base as (
    select value_pct as pct_2000
    from tertiary
    where year = 2000
)

select
    tertiary.year,
    round(tertiary.value_pct, 1) as tertiary_gross_enrolment_pct,
    tertiary.observation_gap_years,
    round(tertiary.change_since_previous_pp, 1) as change_since_previous_pp,
    round(tertiary.value_pct - base.pct_2000, 1) as change_since_2000_pp
from tertiary
cross join base
where tertiary.year >= 1990
order by tertiary.year

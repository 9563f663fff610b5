-- Viet Nam's adult literacy rate, primary completion rate and tertiary gross enrolment ratio
-- (World Bank WDI, UNESCO Institute for Statistics data), one row per indicator x year with a
-- value. Tertiary enrolment comes from a re-serialised cache (unnested in staging) and stacks
-- with the two wire-format indicators. Years without a value are left out, not filled: literacy
-- exists only for census/survey years, so observation_gap_years tells how far apart they are.
-- Vietnamese names (seed worldbank_indicator_labels) follow the wording of the General Statistics
-- Office / MOET statistics.
with indicators as (
    {{ worldbank_viet_nam_indicators([
        'stg_worldbank__adult_literacy',
        'stg_worldbank__primary_completion',
        'stg_worldbank__tertiary_enrolment',
    ], value_alias='value_pct') }}
)

select
    -- indicator_code, year, indicator_name_en, indicator_name_vi, unit, value_pct
    *,
    year - lag(year) over (partition by indicator_code order by year) as observation_gap_years
from indicators
order by indicator_code, year

-- Viet Nam's headline mortality and longevity indicators (World Bank WDI), one row per
-- indicator x year. Years the World Bank has not (yet) published are left out, not zero-filled.
-- Vietnamese names (seed worldbank_indicator_labels) follow the General Statistics Office's
-- indicator names.
with indicators as (
    {{ worldbank_viet_nam_indicators([
        'stg_worldbank__infant_mortality',
        'stg_worldbank__under5_mortality',
        'stg_worldbank__life_expectancy',
    ]) }}
)

select
    indicator_code,
    indicator_name_en,
    indicator_name_vi,
    unit,
    year,
    value
from indicators

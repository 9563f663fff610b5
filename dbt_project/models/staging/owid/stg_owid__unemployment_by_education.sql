-- ILOSTAT unemployment rate, ages 25-54, by education (OWID 2017), Viet Nam, one row per year.
-- The values were stored as float32 upstream and printed in full (".6000000238418579",
-- "1.100000023841858"); ILOSTAT publishes these rates with one decimal, so each is rounded to
-- one decimal. max_rounding_residual keeps the largest amount rounding removed in the row: for
-- float32 noise it is below 1e-6, and a larger residual (a source with real extra precision)
-- fails this model's test instead of being rounded away unnoticed. Values without a leading
-- zero (".5") read as numbers as they are. "Education level not stated" is empty in every row:
-- kept as a NULL column, so it is published automatically if it is ever filled.
{%- set levels = {
    'less_than_basic': 'unemployment_rate_ages_25_54_less_than_basic_education',
    'basic': 'unemployment_rate_ages_25_54_basic_education',
    'intermediate': 'unemployment_rate_ages_25_54_intermediate_education',
    'advanced': 'unemployment_rate_ages_25_54_advanced_education',
    'all_levels': 'unemployment_rate_ages_25_54_all_levels_of_education',
    'not_stated': 'unemployment_rate_ages_25_54_education_level_not_stated'
} %}

with source as (
    select * from {{ source('owid', 'unemployment_by_education') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as country_name,
        -- numerics: unemployment rate (% of labour force aged 25-54), as printed (float32 noise)
        {%- for level, raw_column in levels.items() %}
        {{ sd_try_cast("nullif(trim(" ~ raw_column ~ "), '')", 'double') }} as {{ level }}_raw,
        {%- endfor %}
        -- dates
        {{ sd_try_cast("nullif(trim(year), '')", 'integer') }} as year,
        _loaded_at
    from source
),

cleaned as (
    select
        country_name,
        -- numerics: rounded to ILOSTAT's one decimal
        {%- for level in levels %}
        {{ sd_round(level ~ '_raw', 1) }} as {{ level }}_pct,
        {%- endfor %}
        -- numerics: largest rounding residual of the row (NULL-safe: greatest ignores NULLs)
        greatest(
            {%- for level in levels %}
            abs({{ level }}_raw - {{ sd_round(level ~ '_raw', 1) }}){{ ',' if not loop.last }}
            {%- endfor %}
        ) as max_rounding_residual,
        year,
        _loaded_at
    from renamed
)

select * from cleaned

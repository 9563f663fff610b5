-- Unemployment rate of people aged 25-54 by level of education (ILOSTAT via Our World in Data),
-- Viet Nam, one row per year x education level with a reported value (rates already rounded to
-- ILOSTAT's one decimal in staging to remove float32 artefacts).
with education as (
    select * from {{ ref('int_unemployment_by_education_unpivoted') }}
),

final as (
    select
        -- ids
        year,
        education_level,
        -- strings
        education_level_en,
        education_level_vi,
        isced_levels,
        -- numerics
        education_rank,
        unemployment_rate_pct
    from education
)

select * from final
order by year, coalesce(education_rank, 99), education_level

-- ILOSTAT unemployment rate, ages 25-54, by education level (OWID 2017), Viet Nam, long: one row
-- per year x education level with a reported value. The empty "not stated" column gives no rows
-- (NULL = not reported). Labels: ILO's aggregate education levels, defined on ISCED 2011.
-- Unpivoted with sd_unpivot (rows with a NULL rate dropped, as UNPIVOT does).
with education as (
    select * from {{ ref('stg_owid__unemployment_by_education') }}
    where country_name = 'Vietnam'
),

{%- set by_level -%}
    (
        select
            year,
            less_than_basic_pct as less_than_basic,
            basic_pct as basic,
            intermediate_pct as intermediate,
            advanced_pct as advanced,
            all_levels_pct as all_levels,
            not_stated_pct as not_stated
        from education
    )
{%- endset %}

unpivoted as (
    {{ sd_unpivot(
        by_level,
        ids=['year'],
        values=['less_than_basic', 'basic', 'intermediate', 'advanced', 'all_levels', 'not_stated'],
        name_column='education_level',
        value_columns=['unemployment_rate_pct'],
    ) }}
),

levels as (
    select *
    from (
        values
            ('less_than_basic', 1, 'Less than basic education (below ISCED 1)', 'Chưa đạt trình độ cơ bản (chưa hoàn thành tiểu học, dưới ISCED 1)', 'below 1'),
            ('basic', 2, 'Basic education (ISCED 1-2: primary and lower secondary)', 'Trình độ cơ bản (ISCED 1-2: tiểu học và trung học cơ sở)', '1-2'),
            ('intermediate', 3, 'Intermediate education (ISCED 3-4: upper secondary and post-secondary non-tertiary)', 'Trình độ trung cấp (ISCED 3-4: trung học phổ thông và sau phổ thông không phải đại học)', '3-4'),
            ('advanced', 4, 'Advanced education (ISCED 5-8: tertiary)', 'Trình độ cao (ISCED 5-8: cao đẳng, đại học và sau đại học)', '5-8'),
            ('all_levels', null, 'All levels of education', 'Mọi trình độ học vấn', 'all'),
            ('not_stated', null, 'Education level not stated', 'Không xác định trình độ học vấn', 'not stated')
    ) as levels (education_level, education_rank, education_level_en, education_level_vi, isced_levels)
),

labelled as (
    select
        -- ids
        unpivoted.year,
        unpivoted.education_level,
        -- strings
        levels.education_level_en,
        levels.education_level_vi,
        levels.isced_levels,
        -- numerics
        levels.education_rank,
        unpivoted.unemployment_rate_pct
    from unpivoted
    left join levels
        on levels.education_level = unpivoted.education_level
)

select * from labelled

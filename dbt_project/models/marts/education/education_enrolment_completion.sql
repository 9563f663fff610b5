-- Viet Nam's adult literacy rate, primary completion rate and tertiary gross enrolment ratio
-- (World Bank WDI, UNESCO Institute for Statistics data), one row per indicator x year with a
-- value. Tertiary enrolment comes from a re-serialised cache (unnested in staging) and stacks
-- with the two wire-format indicators. Years without a value are left out, not filled: literacy
-- exists only for census/survey years, so observation_gap_years tells how far apart they are.
with indicators as (
    select * from {{ ref('stg_worldbank__adult_literacy') }}
    union all
    select * from {{ ref('stg_worldbank__primary_completion') }}
    union all
    select * from {{ ref('stg_worldbank__tertiary_enrolment') }}
),

-- Vietnamese names follow the wording of the General Statistics Office / MOET statistics.
labels as (
    select *
    from (
        values
            ('SE.ADT.LITR.ZS', 'Tỷ lệ biết chữ của người từ 15 tuổi trở lên', '% of people ages 15 and above'),
            ('SE.PRM.CMPT.ZS', 'Tỷ lệ hoàn thành cấp tiểu học (tổng gộp)', '% of relevant age group'),
            ('SE.TER.ENRR', 'Tỷ lệ nhập học chung bậc đại học, cao đẳng (tổng gộp)', '% gross')
    ) as labels (indicator_code, indicator_name_vi, unit)
),

final as (
    select
        -- ids
        indicators.indicator_id as indicator_code,
        indicators.year,
        -- strings
        indicators.indicator_name as indicator_name_en,
        labels.indicator_name_vi,
        labels.unit,
        -- numerics
        indicators.value as value_pct,
        indicators.year - lag(indicators.year) over (
            partition by indicators.indicator_id order by indicators.year
        ) as observation_gap_years
    from indicators
    inner join labels
        on labels.indicator_code = indicators.indicator_id
    where indicators.country_iso3 = 'VNM'
        and indicators.value is not null
)

select * from final
order by indicator_code, year

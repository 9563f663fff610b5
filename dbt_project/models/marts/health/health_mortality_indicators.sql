-- Viet Nam's headline mortality and longevity indicators (World Bank WDI), one row per
-- indicator x year. Years the World Bank has not (yet) published are left out, not zero-filled.
with indicators as (
    select * from {{ ref('stg_worldbank__infant_mortality') }}
    union all
    select * from {{ ref('stg_worldbank__under5_mortality') }}
    union all
    select * from {{ ref('stg_worldbank__life_expectancy') }}
),

-- Vietnamese names follow the General Statistics Office's indicator names.
labels as (
    select *
    from (
        values
            ('SP.DYN.IMRT.IN', 'Tỷ suất chết của trẻ em dưới 1 tuổi (trên 1.000 trẻ đẻ sống)', 'per 1,000 live births'),
            ('SH.DYN.MORT', 'Tỷ suất chết của trẻ em dưới 5 tuổi (trên 1.000 trẻ đẻ sống)', 'per 1,000 live births'),
            ('SP.DYN.LE00.IN', 'Tuổi thọ trung bình tính từ lúc sinh (năm)', 'years')
    ) as labels (indicator_code, indicator_name_vi, unit)
),

final as (
    select
        indicators.indicator_id as indicator_code,
        indicators.indicator_name as indicator_name_en,
        labels.indicator_name_vi,
        labels.unit,
        indicators.year,
        indicators.value
    from indicators
    inner join labels
        on labels.indicator_code = indicators.indicator_id
    where indicators.country_iso3 = 'VNM'
        and indicators.value is not null
)

select * from final

-- Viet Nam's trade openness and foreign direct investment (World Bank WDI), one row per
-- indicator x year: exports and imports of goods and services (% of GDP) and FDI net inflows
-- (current US$). The unit column tells the unit of each value (two units, never summed). Years
-- the World Bank has not published are left out, not zero-filled. FDI net inflows can be
-- negative (disinvestment larger than new investment).
with indicators as (
    select * from {{ ref('stg_worldbank__exports_gdp') }}
    union all
    select * from {{ ref('stg_worldbank__imports_gdp') }}
    union all
    select * from {{ ref('stg_worldbank__fdi_inflows') }}
),

-- Vietnamese names follow the General Statistics Office's wording.
labels as (
    select *
    from (
        values
            ('NE.EXP.GNFS.ZS', 'Xuất khẩu hàng hóa và dịch vụ (% GDP)', '% of GDP'),
            ('NE.IMP.GNFS.ZS', 'Nhập khẩu hàng hóa và dịch vụ (% GDP)', '% of GDP'),
            ('BX.KLT.DINV.CD.WD', 'Đầu tư trực tiếp nước ngoài, vốn vào ròng (cán cân thanh toán, USD giá hiện hành)', 'current US$')
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
        indicators.value
    from indicators
    inner join labels
        on labels.indicator_code = indicators.indicator_id
    where indicators.country_iso3 = 'VNM'
        and indicators.value is not null
)

select * from final
order by indicator_code, year

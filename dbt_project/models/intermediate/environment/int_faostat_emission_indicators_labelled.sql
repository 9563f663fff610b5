-- FAOSTAT emissions indicators for Viet Nam (already filtered and unit-split in staging), one
-- row per element x item x year, labelled for publication: a code built from the element and the
-- item ("FAOSTAT.EI.PER_CAPITA.ENERGY"), English and Vietnamese names, and the unit. An element
-- or item without a label here gets NULL names and fails the tests (no silent publication of an
-- unlabelled series). Years with no value are dropped.
with indicators as (
    select * from {{ ref('stg_faostat__emissions_indicators') }}
),

elements as (
    select *
    from (
        values
            ('emissions_t_co2eq_per_capita', 'PER_CAPITA', 'Emissions per capita', 'Phát thải bình quân đầu người', 't CO2eq per capita'),
            ('emissions_kg_co2eq_per_intl_dollar', 'PER_AG_VALUE', 'Emissions per value of agricultural production', 'Phát thải trên giá trị sản xuất nông nghiệp', 'kg CO2eq per international dollar'),
            ('emissions_t_co2eq_per_ha', 'PER_AG_LAND', 'Emissions per area of agricultural land', 'Phát thải trên diện tích đất nông nghiệp', 't CO2eq per ha of agricultural land')
    ) as elements (measure, element_code, element_name_en, element_name_vi, unit)
),

-- FAOSTAT item names (as renamed by the extract script) with the IPCC / FAO Vietnamese terms.
items as (
    select *
    from (
        values
            ('All sectors with LULUCF', 'Tất cả các lĩnh vực, bao gồm LULUCF'),
            ('All sectors without LULUCF', 'Tất cả các lĩnh vực, không bao gồm LULUCF'),
            ('Energy', 'Năng lượng'),
            ('IPPU', 'Các quá trình công nghiệp và sử dụng sản phẩm (IPPU)'),
            ('Waste', 'Chất thải'),
            ('Other', 'Nguồn khác'),
            ('International bunkers', 'Nhiên liệu hàng không và hàng hải quốc tế'),
            ('AFOLU', 'Nông nghiệp, lâm nghiệp và sử dụng đất khác (AFOLU)'),
            ('Agriculture', 'Nông nghiệp (theo IPCC)'),
            ('LULUCF', 'Sử dụng đất, thay đổi sử dụng đất và lâm nghiệp (LULUCF)'),
            ('Agrifood systems', 'Hệ thống lương thực - thực phẩm nông nghiệp'),
            ('Farm gate', 'Tại trang trại (farm gate)'),
            ('Land Use change', 'Thay đổi sử dụng đất'),
            ('Pre- and Post- Production', 'Trước và sau sản xuất'),
            ('Emissions on agricultural land', 'Phát thải trên đất nông nghiệp'),
            ('Crops', 'Trồng trọt'),
            ('Livestock', 'Chăn nuôi')
    ) as items (item, item_name_vi)
),

labelled as (
    select
        -- ids
        'FAOSTAT.EI.' || elements.element_code || '.'
            || upper(trim(both '_' from regexp_replace(lower(indicators.item), '[^a-z0-9]+', '_', 'g')))
            as indicator_code,
        indicators.country_iso3,
        -- strings
        elements.element_name_en || ': ' || indicators.item as indicator_name_en,
        elements.element_name_vi || ': ' || items.item_name_vi as indicator_name_vi,
        elements.unit,
        -- numerics
        indicators.value,
        -- dates
        indicators.year
    from indicators
    left join elements
        on elements.measure = indicators.measure
    left join items
        on items.item = indicators.item
    where indicators.value is not null
)

select * from labelled

-- Value added of agriculture, forestry and fishing and of manufacturing in Viet Nam (FAOSTAT
-- Macro Indicators), one row per activity x year. Units are split into columns, never mixed:
-- million US$ (current and constant 2015 prices), billion VND (FAOSTAT publishes million units
-- of standard local currency; divided by 1000 to match the General Statistics Office's "tỷ
-- đồng"), share of GDP (%) and real growth (%). Activity-years with no value at all (FAOSTAT
-- "NA", e.g. manufacturing in 2024) are dropped, not zero-filled.
with macro as (
    select * from {{ ref('int_macro_indicators_pivoted') }}
    where item_code in ('va_agriculture_forestry_fishing', 'va_manufacturing')
),

-- Vietnamese names follow the General Statistics Office's VSIC section names.
labels as (
    select *
    from (
        values
            ('va_agriculture_forestry_fishing', 'agriculture_forestry_fishing', 'Agriculture, forestry and fishing', 'Nông, lâm nghiệp và thủy sản'),
            ('va_manufacturing', 'manufacturing', 'Manufacturing', 'Công nghiệp chế biến, chế tạo')
    ) as labels (item_code, activity_code, activity_name_en, activity_name_vi)
),

final as (
    select
        -- ids
        labels.activity_code,
        macro.year,
        -- strings
        labels.activity_name_en,
        labels.activity_name_vi,
        -- numerics
        macro.value_usd_million as value_added_usd_million,
        macro.value_usd_million_2015_prices as value_added_usd_million_2015_prices,
        {{ sd_round('macro.value_vnd_million / 1000', 3) }} as value_added_vnd_billion,
        {{ sd_round('macro.value_vnd_million_2015_prices / 1000', 3) }} as value_added_vnd_billion_2015_prices,
        macro.share_of_gdp_vnd_pct as share_of_gdp_pct,
        macro.share_of_gdp_vnd_2015_prices_pct as share_of_gdp_2015_prices_pct,
        macro.growth_vnd_2015_prices_pct as real_growth_pct
    from macro
    inner join labels
        on labels.item_code = macro.item_code
)

select *
from final
where coalesce(
    value_added_usd_million, value_added_usd_million_2015_prices, value_added_vnd_billion,
    value_added_vnd_billion_2015_prices, share_of_gdp_pct, share_of_gdp_2015_prices_pct, real_growth_pct
) is not null
order by activity_code, year

-- Viet Nam's trade openness and foreign direct investment (World Bank WDI), one row per
-- indicator x year: exports and imports of goods and services (% of GDP) and FDI net inflows
-- (current US$). The unit column tells the unit of each value (two units, never summed). Years
-- the World Bank has not published are left out, not zero-filled. FDI net inflows can be
-- negative (disinvestment larger than new investment). Vietnamese names (seed
-- worldbank_indicator_labels) follow the General Statistics Office's wording.
with indicators as (
    {{ worldbank_viet_nam_indicators([
        'stg_worldbank__exports_gdp',
        'stg_worldbank__imports_gdp',
        'stg_worldbank__fdi_inflows',
    ]) }}
)

-- indicator_code, year, indicator_name_en, indicator_name_vi, unit, value
select * from indicators
order by indicator_code, year

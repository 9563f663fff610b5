-- VHLSS 2018 monthly income per capita by source, per pre-2025 province, with the file's code
-- and unaccented name checked against dim_province (province_code_name_checked: a disagreement
-- stops the build naming it).
select * from {{ province_code_name_checked(ref('stg_gso__income_per_capita_province_2018'),
    'int_income_provinces_checked (thunhapbinhquan.csv)',
    ['income_total_thousand_vnd', 'income_wages_thousand_vnd', 'income_agriculture_thousand_vnd',
     'income_non_farm_thousand_vnd', 'income_other_thousand_vnd', 'year']) }} as checked

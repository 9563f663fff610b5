-- Greenhouse-gas emissions of Viet Nam by sector (Climate Watch CAIT 2021, via OWID), one row per
-- sector x year, in MtCO2e and tCO2e per capita. The sector hierarchy is explicit so users do not
-- double count: the two totals; the four IPCC sectors plus land-use change and forestry; Energy's
-- six sub-sectors; and international aviation and shipping (bunker fuels), a memo item outside
-- the national totals. Checked on this release: Energy equals the sum of its sub-sectors and
-- "Total excluding LUCF" the sum of Agriculture, Energy, Industry and Waste, within 0.01 MtCO2e
-- (rounding).
with emissions as (
    select * from {{ ref('stg_owid__ghg_by_sector_cait') }}
),

-- Vietnamese names follow the wording of Viet Nam's national GHG inventory reports (BUR/NC).
sectors as (
    select *
    from (
        values
            ('total_including_lucf', 'Total including LUCF', 'Tổng phát thải, bao gồm LUCF', 'total', cast(null as varchar), 1),
            ('total_excluding_lucf', 'Total excluding LUCF', 'Tổng phát thải, không bao gồm LUCF', 'total', cast(null as varchar), 2),
            ('energy', 'Energy', 'Năng lượng', 'sector', 'total_excluding_lucf', 10),
            ('agriculture', 'Agriculture', 'Nông nghiệp', 'sector', 'total_excluding_lucf', 20),
            ('industry', 'Industry (industrial processes)', 'Các quá trình công nghiệp', 'sector', 'total_excluding_lucf', 30),
            ('waste', 'Waste', 'Chất thải', 'sector', 'total_excluding_lucf', 40),
            ('land_use_change_and_forestry', 'Land-use change and forestry (LUCF)', 'Thay đổi sử dụng đất và lâm nghiệp (LUCF)', 'sector', 'total_including_lucf', 50),
            ('electricity_and_heat', 'Electricity and heat', 'Sản xuất điện và nhiệt', 'energy_subsector', 'energy', 11),
            ('manufacturing_and_construction', 'Manufacturing and construction', 'Công nghiệp chế biến, chế tạo và xây dựng', 'energy_subsector', 'energy', 12),
            ('transport', 'Transport', 'Giao thông vận tải', 'energy_subsector', 'energy', 13),
            ('buildings', 'Buildings', 'Tòa nhà (dân dụng và thương mại)', 'energy_subsector', 'energy', 14),
            ('fugitive_emissions', 'Fugitive emissions', 'Phát thải thất thoát', 'energy_subsector', 'energy', 15),
            ('other_fuel_combustion', 'Other fuel combustion', 'Đốt nhiên liệu khác', 'energy_subsector', 'energy', 16),
            ('aviation_and_shipping', 'International aviation and shipping (bunker fuels)', 'Hàng không và hàng hải quốc tế (nhiên liệu tàu bay, tàu biển quốc tế)', 'memo', cast(null as varchar), 90)
    ) as sectors (sector_code, sector_name_en, sector_name_vi, sector_level, parent_sector_code, display_order)
),

final as (
    select
        -- ids
        emissions.sector_code,
        emissions.year,
        -- strings
        sectors.sector_name_en,
        sectors.sector_name_vi,
        sectors.sector_level,
        sectors.parent_sector_code,
        -- numerics
        emissions.emissions_mt_co2e,
        emissions.emissions_t_co2e_per_capita
    from emissions
    inner join sectors
        on sectors.sector_code = emissions.sector_code
    where emissions.entity_name = 'Vietnam'
        and emissions.emissions_mt_co2e is not null
    order by emissions.year, sectors.display_order
)

select * from final

-- Viet Nam's employment by broad economic sector (modelled ILO estimates, World Bank WDI), one
-- row per sector x year: the shares of total employment in agriculture (incl. forestry and
-- fishing), industry (incl. construction, mining, utilities) and services.
with sectors as (
    select * from {{ ref('int_employment_sectors_unioned') }}
),

-- Sector names: ILO/WDI definitions; Vietnamese as in the General Statistics Office's labour
-- force reports ("Nông, lâm nghiệp và thủy sản", "Công nghiệp và xây dựng", "Dịch vụ").
labels as (
    select *
    from (
        values
            ('agriculture', 'Agriculture, forestry and fishing', 'Nông, lâm nghiệp và thủy sản'),
            ('industry', 'Industry and construction (incl. mining and utilities)', 'Công nghiệp và xây dựng'),
            ('services', 'Services', 'Dịch vụ')
    ) as labels (sector, sector_name_en, sector_name_vi)
),

final as (
    select
        -- ids
        sectors.year,
        sectors.sector,
        -- strings
        labels.sector_name_en,
        labels.sector_name_vi,
        sectors.indicator_code,
        -- numerics
        sectors.employment_share_pct
    from sectors
    inner join labels
        on labels.sector = sectors.sector
)

select * from final
order by year, sector

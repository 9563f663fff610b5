-- Climate-related development finance disbursed to Viet Nam (OECD CRS), one row per year x donor
-- x flow type x sector group. The extract counts the FULL disbursement of every activity marked
-- with climate adaptation or mitigation as a principal or significant objective (Rio markers),
-- not a climate share of it. Amounts are USD million (CRS convention; the file does not say):
-- current prices, and constant prices of the release's latest year (constant_price_year: the
-- latest year in the data, the year where both columns coincide). Zero disbursements are kept
-- as published (an activity reported with no disbursement that year).
with finance as (
    select * from {{ ref('stg_oecd__crs_climate_finance') }}
    where recipient_iso3 = 'VNM'
),

flows as (
    select *
    from (
        values
            ('ODA Grants', 'ODA không hoàn lại'),
            ('ODA Loans', 'ODA vốn vay'),
            ('Other Official Flows (non Export Credit)', 'Dòng vốn chính thức khác (không gồm tín dụng xuất khẩu)'),
            ('Private Development Finance', 'Tài chính phát triển tư nhân'),
            ('Private Sector Instruments (PSI)', 'Công cụ hỗ trợ khu vực tư nhân (PSI)'),
            ('Equity Investment', 'Đầu tư cổ phần')
    ) as flows (flow_name, flow_name_vi)
),

-- CRS sector groups as built by the extract script from the CRS sector codes.
sector_groups as (
    select *
    from (
        values
            ('Education', 'Giáo dục'),
            ('Health', 'Y tế'),
            ('Population Policies/Programmes', 'Chính sách/chương trình dân số'),
            ('Water Supply & Sanitation', 'Cấp nước và vệ sinh'),
            ('Government & Civil Society', 'Chính phủ và xã hội dân sự'),
            ('Other Social Infrastructure & Services', 'Hạ tầng và dịch vụ xã hội khác'),
            ('Transport & Storage', 'Giao thông vận tải và kho bãi'),
            ('Communications', 'Thông tin và truyền thông'),
            ('Energy', 'Năng lượng'),
            ('Banking & Financial Services', 'Ngân hàng và dịch vụ tài chính'),
            ('Business & Other Services', 'Dịch vụ kinh doanh và dịch vụ khác'),
            ('Other Economic Infrastructure & Services', 'Hạ tầng và dịch vụ kinh tế khác'),
            ('Agriculture, Forestry, Fishing', 'Nông nghiệp, lâm nghiệp, thủy sản'),
            ('Industry, Mining, Construction', 'Công nghiệp, khai khoáng, xây dựng'),
            ('Trade Policies & Regulations', 'Chính sách và quy định thương mại'),
            ('Tourism', 'Du lịch'),
            ('General Environment Protection', 'Bảo vệ môi trường chung'),
            ('Other Multisector', 'Đa lĩnh vực khác'),
            ('Unallocated / Unspecified', 'Chưa phân bổ / không xác định'),
            ('General Budget Support', 'Hỗ trợ ngân sách chung'),
            ('Development Food Assistance', 'Hỗ trợ lương thực phát triển'),
            ('Other Commodity Assistance', 'Hỗ trợ hàng hóa khác'),
            ('Action Relating to Debt', 'Hoạt động liên quan đến nợ'),
            ('Emergency Response', 'Ứng phó khẩn cấp'),
            ('Reconstruction Relief & Rehabilitation', 'Tái thiết, cứu trợ và phục hồi'),
            ('Disaster Prevention & Preparedness', 'Phòng ngừa và chuẩn bị ứng phó thiên tai'),
            ('Other Humanitarian Aid', 'Viện trợ nhân đạo khác'),
            ('Administrative Costs of Donors', 'Chi phí hành chính của nhà tài trợ')
    ) as sector_groups (sector_group, sector_group_vi)
),

price_base as (
    select max(year) as constant_price_year
    from finance
),

final as (
    select
        -- ids
        finance.year,
        finance.donor_name,
        finance.flow_name,
        finance.sector_group,
        -- strings
        flows.flow_name_vi,
        sector_groups.sector_group_vi,
        -- numerics
        finance.disbursement_usd_million_current,
        finance.disbursement_usd_million_constant,
        price_base.constant_price_year
    from finance
    cross join price_base
    left join flows
        on flows.flow_name = finance.flow_name
    left join sector_groups
        on sector_groups.sector_group = finance.sector_group
)

select * from final
order by year, donor_name, flow_name, sector_group

-- UNESCO World Heritage sites of Viet Nam with their Vietnamese name and the province they lie
-- in, resolved to the pre-2025 GSO province code through int_province_aliases. The UNESCO export
-- has neither: both come from the list below, keyed by the UNESCO reference number (id_no).
-- Vietnamese names are the ones used by the Ministry of Culture, Sports and Tourism; provinces
-- are those of the inscribed property in the 2019 list (every site lies in one province; the
-- 2023 Ha Long Bay - Cat Ba extension into Hai Phong is not part of this list).
-- A site missing from the list (a newer export) keeps a NULL name and province here; the mart
-- refuses to build until it is added, so no site is published without its location.
with sites as (
    select * from {{ ref('stg_unesco__whc_sites') }}
),

aliases as (
    select * from {{ ref('int_province_aliases') }}
),

site_locations as (
    select *
    from (
        values
            (672, 'Vịnh Hạ Long', 'Quảng Ninh'),
            (678, 'Quần thể di tích Cố đô Huế', 'Thừa Thiên Huế'),
            (948, 'Đô thị cổ Hội An', 'Quảng Nam'),
            (949, 'Khu đền tháp Mỹ Sơn', 'Quảng Nam'),
            (951, 'Vườn quốc gia Phong Nha - Kẻ Bàng', 'Quảng Bình'),
            (1328, 'Khu trung tâm Hoàng thành Thăng Long - Hà Nội', 'Hà Nội'),
            (1358, 'Thành nhà Hồ', 'Thanh Hóa'),
            (1438, 'Quần thể danh thắng Tràng An', 'Ninh Bình')
    ) as site_locations (site_id, site_name_vi, province_name_raw)
),

located as (
    select
        -- ids
        sites.site_id,
        aliases.province_code,
        -- strings
        sites.name_en as site_name_en,
        sites.name_fr as site_name_fr,
        site_locations.site_name_vi,
        site_locations.province_name_raw,
        sites.category,
        sites.criteria_txt as criteria,
        sites.short_description_en,
        sites.secondary_dates as extension_years,
        -- numerics
        sites.area_ha,
        sites.latitude,
        sites.longitude,
        -- criteria counted from the flags
        {%- set flags = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'n7', 'n8', 'n9', 'n10'] %}
        (
            {%- for flag in flags %}
            cast(sites.criterion_{{ flag }} as integer){{ ' +' if not loop.last }}
            {%- endfor %}
        ) as criteria_count,
        -- flags
        sites.is_in_danger,
        sites.is_transboundary,
        -- dates
        sites.year_inscribed
    from sites
    left join site_locations
        on site_locations.site_id = sites.site_id
    left join aliases
        on {{ vn_name_key('site_locations.province_name_raw') }} = aliases.name_key
)

select * from located

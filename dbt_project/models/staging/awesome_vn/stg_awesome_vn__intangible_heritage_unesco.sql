-- Viet Nam's elements on the UNESCO Intangible Cultural Heritage lists, one row per element,
-- typed. The last column is a free-text note mixing locality ("Bắc Ninh – Bắc Giang", "Nam Bộ",
-- "Ninh Thuận cũ") and inscription history; it is kept as text and not coded to provinces.
with source as (
    select * from {{ source('awesome_vn', 'intangible_heritage_unesco') }}
),

renamed as (
    select
        -- ids
        _row_number as source_row_number,
        -- strings
        {{ sd_nfc("nullif(trim(ten_di_san), '')") }} as element_name_vi,
        {{ sd_nfc("nullif(trim(danh_sach), '')") }} as list_name_vi,
        {{ sd_nfc("nullif(trim(ghi_chu), '')") }} as note_vi,
        -- dates
        {{ sd_try_cast("nullif(trim(nam_cong_nhan), '')", 'integer') }} as year_inscribed,
        _loaded_at
    from source
)

select * from renamed

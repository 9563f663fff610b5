-- GSO letter 915/CTK-CSCL: official codes and names of the 34 post-2025 provinces.
with source as (
    select * from {{ source('gso', 'province_codes_2025') }}
),

renamed as (
    select
        -- ids
        lpad(trim(ma_so), 2, '0') as unit_2025_code,
        -- strings: kept as officially written ("Thành phố Hà Nội", "Cao Bằng"); NFC
        {{ sd_nfc('trim(ten_34_tinh_sau_sap_nhap)') }} as unit_2025_name_vi,
        -- numerics
        {{ sd_try_cast('stt', 'integer') }} as list_order,
        _loaded_at
    from source
)

select * from renamed

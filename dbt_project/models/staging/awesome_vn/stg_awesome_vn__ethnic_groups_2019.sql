-- Population of the 54 ethnic groups at 1 April 2019 (GSO 2019 census) with the compiler's
-- language group, one row per group, typed. Names are NFC-normalised and kept as written,
-- including the en dash of "Bru – Vân Kiều" and of the language groups ("Việt – Mường").
with source as (
    select * from {{ source('awesome_vn', 'ethnic_groups_2019') }}
),

renamed as (
    select
        -- ids
        _row_number as source_row_number,
        -- strings
        {{ sd_nfc("nullif(trim(ten_dan_toc), '')") }} as ethnic_group_vi,
        {{ sd_nfc("nullif(trim(nhom_ngon_ngu), '')") }} as language_group_vi,
        -- numerics
        cast({{ sd_try_cast("nullif(trim(dan_so_2019), '')", 'integer') }} as bigint) as population,
        _loaded_at
    from source
)

select * from renamed

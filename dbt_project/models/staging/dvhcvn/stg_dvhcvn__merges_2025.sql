-- One row per post-2025 province (34) with the pre-2025 provinces it absorbed still packed as
-- JSON text; int_province_merges_unnested expands them to one row per pre-2025 province.
with source as (
    select * from {{ source('dvhcvn', 'merges_2025') }}
),

renamed as (
    select
        -- ids
        lpad(trim(level1_id), 2, '0') as unit_2025_code,
        -- strings (NFC makes equal names compare equal)
        {{ sd_nfc('trim(name)') }} as unit_2025_name_full,
        merges as merges_json,
        _loaded_at
    from source
)

select * from renamed

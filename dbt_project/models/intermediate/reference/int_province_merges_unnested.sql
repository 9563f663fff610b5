-- One row per pre-2025 province: each post-2025 unit's `merges` JSON list expanded.
-- sd_unnest_json_objects: DuckDB from_json + unnest(recursive), PostgreSQL json_to_recordset.
with units as (
    select * from {{ ref('stg_dvhcvn__merges_2025') }}
),

unnested as (
    {{ sd_unnest_json_objects(
        'units', 'units.merges_json',
        keep=['units.unit_2025_code', 'units.unit_2025_name_full'],
        fields=['old_id', 'name', 'type'],
    ) }}
),

renamed as (
    select
        -- ids
        lpad(trim(old_id), 2, '0') as province_code,
        unit_2025_code,
        -- strings
        {{ sd_nfc('trim(name)') }} as province_name_full,
        lower(trim(type)) as merge_type,
        unit_2025_name_full
    from unnested
)

select * from renamed

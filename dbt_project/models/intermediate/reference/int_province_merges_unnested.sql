-- One row per pre-2025 province: each post-2025 unit's `merges` JSON list expanded.
-- from_json / unnest(recursive) are DuckDB-specific (PostgreSQL: jsonb_to_recordset).
with units as (
    select * from {{ ref('stg_dvhcvn__merges_2025') }}
),

unnested as (
    select
        units.unit_2025_code,
        units.unit_2025_name_full,
        unnest(
            from_json(units.merges_json, '[{"old_id": "VARCHAR", "name": "VARCHAR", "type": "VARCHAR"}]'),
            recursive := true
        )
    from units
),

renamed as (
    select
        -- ids
        lpad(trim(old_id), 2, '0') as province_code,
        unit_2025_code,
        -- strings
        nfc_normalize(trim(name)) as province_name_full,
        lower(trim(type)) as merge_type,
        unit_2025_name_full
    from unnested
)

select * from renamed

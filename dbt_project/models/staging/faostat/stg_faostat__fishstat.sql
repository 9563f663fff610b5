-- FAO FishStat production (capture + aquaculture), Viet Nam only, one row per
-- production type x species group x ISSCAAP division x unit x year.
-- Handled here: World rows (area = "World") and South-eastern Asia regional rows (iso3 "NA")
-- dropped; per-group sums (grouped = "yes", isscaap "NA") dropped because they equal the sum of
-- their ISSCAAP detail rows; "NA" -> NULL; coded units mapped to a measure with the unit in its
-- name (Q_tlw -> tonnes live weight, Q_no_1 -> number of animals); float noise rounded.
with source as (
    select * from {{ source('faostat', 'fishstat') }}
),

renamed as (
    select
        -- ids
        nullif(trim(iso3), 'NA') as country_iso3,
        upper(trim(type)) as production_type_code,
        -- strings
        nullif(trim(area), 'NA') as country_name,
        nullif(trim(item), 'NA') as species_major_group,
        nullif(trim(isscaap), 'NA') as isscaap_division,
        nullif(trim(cpc_group), 'NA') as cpc_group,
        nullif(trim(unit), 'NA') as unit_code,
        lower(trim(grouped)) = 'yes' as is_group_aggregate,
        -- numerics
        try_cast(nullif(trim(value), 'NA') as double) as value_raw,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
),

cleaned as (
    select
        country_iso3,
        -- FishStat PRODUCTION_SOURCE_DET: CAPTURE, or aquaculture by environment
        lower(production_type_code) as production_type,
        case production_type_code
            when 'CAPTURE' then 'capture'
            when 'MARINE' then 'aquaculture'
            when 'BRACKISHWATER' then 'aquaculture'
            when 'FRESHWATER' then 'aquaculture'
        end as production_source,
        case when production_type_code <> 'CAPTURE' then lower(production_type_code) end as aquaculture_environment,
        species_major_group,
        isscaap_division,
        cpc_group,
        unit_code,
        case unit_code
            when 'Q_tlw' then 'quantity_t_live_weight'
            when 'Q_no_1' then 'quantity_number'
        end as measure,
        -- the extract sums float values (e.g. 698061.5800000001); FishStat publishes 2 decimals
        round(value_raw, 2) as value,
        year,
        _loaded_at
    from renamed
    where country_iso3 = 'VNM'
      and not is_group_aggregate
)

select * from cleaned

-- FAO FishStat production (capture + aquaculture), Viet Nam only, one row per
-- production type x species group x ISSCAAP division x unit x year.
-- Handled here: Viet Nam's rows with "NA" -> NULL (shared first step, macros/faostat.sql; World
-- and South-eastern Asia rows dropped); per-group sums (grouped = "yes", isscaap "NA") dropped
-- because they equal the sum of their ISSCAAP detail rows; coded units mapped to a measure with
-- the unit in its name (Q_tlw -> tonnes live weight, Q_no_1 -> number of animals); float noise
-- rounded.
with renamed as (
    {{ faostat_viet_nam_rows(
        'fishstat',
        columns={
            'species_major_group': 'item',
            'isscaap_division': 'isscaap',
            'cpc_group': 'cpc_group',
            'unit_code': 'unit',
        },
        extras=['upper(trim(type)) as production_type_code'],
        flags={'is_group_aggregate': 'grouped'},
    ) }}
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
        {{ sd_round('value_raw', 2) }} as value,
        year,
        _loaded_at
    from renamed
    where not is_group_aggregate
)

select * from cleaned

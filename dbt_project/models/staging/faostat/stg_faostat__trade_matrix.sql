-- FAOSTAT Detailed Trade Matrix, Viet Nam as reporter: one row per partner x item x flow x year.
-- Handled here: literal "NA" -> NULL; the element is split into a flow (export / import); the
-- "1000 USD" scale factor is applied so the value is in US dollars (a unit not seen before gives
-- a NULL value_usd and fails the not_null test instead of being mis-scaled). The matrix stays
-- sparse: a partner x item x year that is absent upstream is absent here, never a zero row.
with source as (
    select * from {{ source('faostat', 'trade_matrix') }}
),

renamed as (
    select
        -- ids
        nullif(trim(iso3), 'NA') as reporter_iso3,
        nullif(trim(isop), 'NA') as partner_iso3,
        -- strings
        nullif(trim(area), 'NA') as reporter_name,
        nullif(trim(partner), 'NA') as partner_name,
        nullif(trim(cpc_name1), 'NA') as item_group,
        nullif(trim(item), 'NA') as item_name,
        nullif(trim(element), 'NA') as element,
        nullif(trim(unit), 'NA') as unit_raw,
        -- numerics
        try_cast(nullif(trim(value), 'NA') as double) as value_raw,
        -- dates
        try_cast(year as integer) as year,
        _loaded_at
    from source
),

cleaned as (
    select
        reporter_iso3,
        partner_iso3,
        reporter_name,
        partner_name,
        item_group,
        item_name,
        element,
        case element
            when 'Export value' then 'export'
            when 'Import value' then 'import'
        end as flow,
        unit_raw,
        case unit_raw
            when '1000 USD' then value_raw * 1000
            when 'USD' then value_raw
        end as value_usd,
        year,
        _loaded_at
    from renamed
    where reporter_iso3 = 'VNM'
)

select * from cleaned

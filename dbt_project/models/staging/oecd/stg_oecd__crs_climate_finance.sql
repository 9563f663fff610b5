-- OECD CRS climate-related development finance to Viet Nam, one row per donor x flow type x
-- sector group x year. Handled here: the two amount columns are renamed so that their price
-- basis and unit are explicit - usd_disbursement is current prices, usd_disbursement_defl is
-- constant prices of the latest year in the release (2023: both columns are equal there); the
-- unit, not stated in the file, is USD million by CRS convention. Names are trimmed only (the
-- donor names are OECD's standard donor labels, checked: no variant spellings in this release).
with source as (
    select * from {{ source('oecd', 'crs_climate_finance') }}
),

renamed as (
    select
        -- ids
        nullif(trim(de_recipientcode), '') as recipient_iso3,
        -- strings
        nullif(trim(donor_name), '') as donor_name,
        nullif(trim(flow_name), '') as flow_name,
        nullif(trim(sector_group), '') as sector_group,
        -- numerics (USD million)
        {{ sd_try_cast("nullif(trim(usd_disbursement), '')", 'double') }} as disbursement_usd_million_current,
        {{ sd_try_cast("nullif(trim(usd_disbursement_defl), '')", 'double') }} as disbursement_usd_million_constant,
        -- dates
        {{ sd_try_cast('year', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

-- FAOSTAT QCL (crops and livestock production), Viet Nam, one row per item x element x year.
-- Handled here: literal "NA" -> NULL; CPC-group aggregate rows (grouped = "yes", item "NA")
-- dropped so that sums over items do not double count; the mixed unit column is split into
-- a measure name that carries the unit, with scaled units normalised (1000 An -> head,
-- 1000 No -> number, 100 g/ha and hg/ha -> kg/ha).
with source as (
    select * from {{ source('faostat', 'qcl') }}
),

renamed as (
    select
        -- ids
        nullif(trim(iso3), 'NA') as country_iso3,
        -- strings
        nullif(trim(area), 'NA') as country_name,
        nullif(trim(item), 'NA') as item_name,
        nullif(trim(cpc_name1), 'NA') as item_group,
        nullif(trim(element), 'NA') as element,
        nullif(trim(unit), 'NA') as unit_raw,
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
        country_name,
        item_name,
        item_group,
        element,
        unit_raw,
        case
            when element = 'Production' and unit_raw = 't' then 'production_t'
            when element = 'Production' and unit_raw in ('No', '1000 No') then 'production_number'
            when element = 'Area harvested' and unit_raw = 'ha' then 'area_harvested_ha'
            when element = 'Yield' and unit_raw in ('kg/ha', '100 g/ha', 'hg/ha') then 'yield_kg_per_ha'
            when element = 'Yield' and unit_raw = 'No/An' then 'yield_number_per_animal'
            when element = 'Stocks' and unit_raw in ('An', 'Head', '1000 An', '1000 Head') then 'stocks_head'
            when element = 'Stocks' and unit_raw = 'No' then 'stocks_number'
        end as measure,
        case
            when unit_raw in ('1000 An', '1000 Head', '1000 No') then value_raw * 1000
            when unit_raw in ('100 g/ha', 'hg/ha') then value_raw / 10
            else value_raw
        end as value,
        year,
        _loaded_at
    from renamed
    where not is_group_aggregate
      and item_name is not null
      and country_iso3 = 'VNM'
)

select * from cleaned

-- FAOSTAT QCL (crops and livestock production), Viet Nam, one row per item x element x year.
-- Handled here: Viet Nam's rows with "NA" -> NULL (shared first step, macros/faostat.sql);
-- CPC-group aggregate rows (grouped = "yes", item "NA") dropped so that sums over items do not
-- double count; the mixed unit column is split into a measure name that carries the unit, with
-- scaled units normalised (1000 An -> head, 1000 No -> number, 100 g/ha and hg/ha -> kg/ha).
with renamed as (
    {{ faostat_viet_nam_rows(
        'qcl',
        columns={'item_name': 'item', 'item_group': 'cpc_name1', 'element': 'element', 'unit_raw': 'unit'},
        flags={'is_group_aggregate': 'grouped'},
    ) }}
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
)

select * from cleaned

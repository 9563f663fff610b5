{#- Staging for one GSO provincial rice workbook (Rice_production_<year>_GSO.xlsx, 12 northern
    provinces): the yearly workbooks hold the same table, but headers drift between releases
    (2014 "rice production (ton)" -> rice_production_ton, 2017 "rice production (ton/y)" ->
    rice_production_ton_y), so the raw production column is a parameter. Every year's model emits
    the same columns, to be stacked with UNION ALL. Province names stay as published (unaccented
    English, "Hanoi") and are resolved to GSO codes downstream. -#}
{% macro gso_rice_staging(table_name, production_column, year) %}
with source as (
    select * from {{ source('gso', table_name) }}
),

renamed as (
    select
        -- strings: unaccented English names as published ("Hanoi"); resolved to GSO codes downstream
        nullif(trim(province), '') as province_name_raw,
        -- numerics
        {{ sd_try_cast('total_area_ha', 'double') }} as total_area_ha,
        {{ sd_try_cast('cultivation_area_ha', 'double') }} as cultivated_area_ha,
        {{ sd_try_cast(production_column, 'double') }} as production_t,
        {{ sd_try_cast('rice_yield_ton_ha', 'double') }} as yield_t_per_ha,
        -- dates
        {{ year }} as year,
        _loaded_at
    from source
),

cleaned as (
    -- the sheet's trailing empty rows carry no province
    select * from renamed
    where province_name_raw is not null
)

select * from cleaned
{% endmacro %}

{#- A GSO table value as a number: the statistical office's "not available" markers (".." and
    "-"), the ellipsis and empty text are NULL, never zero. Use gso_is_marker beside it to flag the
    rows where the source said "not available" rather than leaving the cell empty. -#}
{% macro gso_number(expr, type='double') -%}
    {{ sd_try_cast("nullif(nullif(nullif(nullif(trim(cast(" ~ expr ~ " as varchar)), '..'), '-'), '…'), '')", type) }}
{%- endmacro %}

{% macro gso_is_marker(expr) -%}
    coalesce(trim(cast({{ expr }} as varchar)) in ('..', '-', '…'), false)
{%- endmacro %}

{#- Staging for an Our World in Data grapher CSV with a single indicator column (Entity, Year,
    <indicator>): the entity as entity_name, the indicator's (often long or loader-truncated)
    header renamed to value_alias, a name that carries the unit, and typed to double with an empty
    cell as NULL; the year as integer. Every row is kept: a mart that needs one entity filters on
    entity_name. -#}
{% macro owid_single_indicator_staging(table_name, value_column, value_alias) %}
with source as (
    select * from {{ source('owid', table_name) }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics
        {{ sd_try_cast("nullif(trim(" ~ value_column ~ "), '')", 'double') }} as {{ value_alias }},
        -- dates
        {{ sd_try_cast('year', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed
{% endmacro %}

{#- Apply a source's reviewable corrections file to a staging CTE.

    seeds/corrections/corrections__<source_id>.csv has one row per known source error:
    key_column, key_value, column_name, old_value, new_value, reason. A correction applies only
    where the row still holds the expected old value, so a source that fixes the error upstream
    is left alone (and the publish metadata still lists the correction for review).
    Call it on raw text columns, before typing:
        corrected as ({{ apply_corrections('source', 'openflights_airports_vnm', 'airport_id', ['city']) }})
    Uses DuckDB's `* exclude`. -#}
{% macro apply_corrections(cte, source_id, key_column, columns) %}
select
    {%- for col in columns %}
    coalesce(fix_{{ loop.index }}.new_value, src.{{ col }}) as {{ col }},
    {%- endfor %}
    src.* exclude ({{ columns | join(', ') }})
from {{ cte }} as src
{%- for col in columns %}
left join {{ ref('corrections__' ~ source_id) }} as fix_{{ loop.index }}
    on fix_{{ loop.index }}.key_column = '{{ key_column }}'
    and fix_{{ loop.index }}.column_name = '{{ col }}'
    and fix_{{ loop.index }}.key_value = cast(src.{{ key_column }} as varchar)
    and fix_{{ loop.index }}.old_value = src.{{ col }}
{%- endfor %}
{% endmacro %}

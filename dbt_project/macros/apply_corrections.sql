{#- Apply a source's reviewable corrections file to a staging CTE.

    seeds/corrections/corrections__<source_id>.csv has one row per known source error:
    key_column, key_value, column_name, old_value, new_value, reason. A correction applies only
    where the row still holds the expected old value, so a source that fixes the error upstream
    is left alone (and the publish metadata still lists the correction for review).
    Call it on raw text columns, before typing:
        corrected as ({{ apply_corrections('source', 'openflights_airports_vnm', 'airport_id', ['city'],
                                           relation=source('openflights', 'airports'), extra_columns=['city_as_published']) }})
    relation and extra_columns say which columns the CTE has (the relation's, then the extra ones),
    for the star of the other columns (sd_star_except: DuckDB's `* exclude`). -#}
{% macro apply_corrections(cte, source_id, key_column, columns, relation=none, extra_columns=[]) %}
select
    {%- for col in columns %}
    coalesce(fix_{{ loop.index }}.new_value, src.{{ col }}) as {{ col }},
    {%- endfor %}
    {{ sd_star_except(relation, columns, 'src', extra_columns) }}
from {{ cte }} as src
{%- for col in columns %}
left join {{ ref('corrections__' ~ source_id) }} as fix_{{ loop.index }}
    on fix_{{ loop.index }}.key_column = '{{ key_column }}'
    and fix_{{ loop.index }}.column_name = '{{ col }}'
    and fix_{{ loop.index }}.key_value = cast(src.{{ key_column }} as varchar)
    and fix_{{ loop.index }}.old_value = src.{{ col }}
{%- endfor %}
{% endmacro %}

{#- The rows of a provincial table whose GSO code and province name both agree with dim_province,
    or the build stops with a message naming the model, the name and the code.

    relation_sql  a relation or "(select ...)" with province_code (pre-2025 GSO code, 2-digit
                  text), province_name_raw (the name as published) and the `columns`
    model_name    named in the error message
    columns       the other columns to pass through

    A name resolves through int_province_aliases (vn_name_key); three faults stop the build: a
    code that is no pre-2025 province, a name that resolves to no province (add it to
    seeds/province_name_aliases.csv only if it truly is an alias), and a name that resolves to a
    different province than the code says (a shifted row or a wrong code - never guessed). -#}
{% macro province_code_name_checked(relation_sql, model_name, columns) -%}
{%- set unknown_code -%}
'{{ model_name }}: GSO code "' || coalesce(src.province_code, 'NULL') || '" (name "'
|| coalesce(src.province_name_raw, 'NULL') || '") is not a pre-2025 province in dim_province'
{%- endset -%}
{%- set unresolved -%}
'{{ model_name }}: province name "' || coalesce(src.province_name_raw, 'NULL') || '" (code '
|| src.province_code || ') does not resolve to a pre-2025 province; add it to seeds/province_name_aliases.csv if it is an alias'
{%- endset -%}
{%- set disagree -%}
'{{ model_name }}: province name "' || src.province_name_raw || '" is province ' || aliases.province_code
|| ' in dim_province but the file gives code ' || src.province_code
{%- endset -%}
(
    select
        case
            when dim.province_code is null then {{ sd_raise_error(unknown_code) }}
            when aliases.province_code is null then {{ sd_raise_error(unresolved) }}
            when aliases.province_code <> src.province_code then {{ sd_raise_error(disagree) }}
            else src.province_code
        end as province_code,
        src.province_name_raw,
        {% for col in columns %}src.{{ col }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ relation_sql }} as src
    left join {{ ref('dim_province') }} as dim
        on dim.province_code = src.province_code
    left join {{ ref('int_province_aliases') }} as aliases
        on {{ vn_name_key('src.province_name_raw') }} = aliases.name_key
)
{%- endmacro %}

{#- Use the layer's schema name as-is (staging, intermediate, audit), not "<target>_<custom>":
    the publish stage and the gate address tables by these fixed names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}

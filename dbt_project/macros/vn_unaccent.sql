{#- Vietnamese text → lower-case ASCII key for matching names across sources:
    strips diacritics (strip_accents does not map đ/Đ), old/new tone placement ("Hoà"/"Hòa")
    collapses to the same key, and punctuation/spaces are removed ("Ba Ria - Vung Tau" and
    "Bà Rịa–Vũng Tàu" both give "bariavungtau"). -#}
{% macro vn_name_key(expr) -%}
    regexp_replace(lower({{ sd_strip_accents("replace(replace(" ~ expr ~ ", 'đ', 'd'), 'Đ', 'D')") }}), '[^a-z0-9]', '', 'g')
{%- endmacro %}

{#- Regular expressions, Unicode normalisation and errors: DuckDB and PostgreSQL spellings.
    Patterns are written once, in DuckDB's RE2 syntax, as SQL string literals ('...');
    sd_regex() rewrites the few RE2-only escapes the models use for PostgreSQL's ARE. -#}

{% macro sd_regex(pattern) -%}
    {{- return(adapter.dispatch('sd_regex', 'sector_datasets')(pattern)) -}}
{%- endmacro %}

{% macro default__sd_regex(pattern) -%}
    {{ pattern }}
{%- endmacro %}

{#- RE2 -> ARE: \b (word boundary; in ARE a backspace) -> \y, \P{L} / \p{L} (non-letter / letter,
    Unicode) -> [^[:alpha:]] / [[:alpha:]] (Unicode-aware with the warehouse's C.UTF-8 LC_CTYPE). -#}
{% macro postgres__sd_regex(pattern) -%}
    {{ pattern | replace('\\b', '\\y') | replace('\\P{L}', '[^[:alpha:]]') | replace('\\p{L}', '[[:alpha:]]') }}
{%- endmacro %}


{#- regexp_extract(expr, pattern, group): the group's text, '' when the pattern does not match,
    NULL for NULL input. -#}
{% macro sd_regexp_extract(expr, pattern, group=0) -%}
    {{- return(adapter.dispatch('sd_regexp_extract', 'sector_datasets')(expr, pattern, group)) -}}
{%- endmacro %}

{% macro default__sd_regexp_extract(expr, pattern, group) -%}
    regexp_extract({{ expr }}, {{ pattern }}, {{ group }})
{%- endmacro %}

{% macro postgres__sd_regexp_extract(expr, pattern, group) -%}
    (case when ({{ expr }}) is not null
        then coalesce(regexp_substr({{ expr }}, {{ sd_regex(pattern) }}, 1, 1, '', {{ group }}), '')
    end)
{%- endmacro %}


{#- regexp_matches(expr, pattern): true when the pattern matches anywhere in expr. -#}
{% macro sd_regexp_matches(expr, pattern) -%}
    {{- return(adapter.dispatch('sd_regexp_matches', 'sector_datasets')(expr, pattern)) -}}
{%- endmacro %}

{% macro default__sd_regexp_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__sd_regexp_matches(expr, pattern) -%}
    (({{ expr }}) ~ {{ sd_regex(pattern) }})
{%- endmacro %}


{#- Unicode NFC (composed) form. -#}
{% macro sd_nfc(expr) -%}
    {{- return(adapter.dispatch('sd_nfc', 'sector_datasets')(expr)) -}}
{%- endmacro %}

{% macro default__sd_nfc(expr) -%}
    nfc_normalize({{ expr }})
{%- endmacro %}

{% macro postgres__sd_nfc(expr) -%}
    normalize({{ expr }}, NFC)
{%- endmacro %}


{#- Letters without their diacritics ("Hòa Bình" -> "Hoa Binh"; đ/Đ are letters of their own and
    are not changed, as in DuckDB). -#}
{% macro sd_strip_accents(expr) -%}
    {{- return(adapter.dispatch('sd_strip_accents', 'sector_datasets')(expr)) -}}
{%- endmacro %}

{% macro default__sd_strip_accents(expr) -%}
    strip_accents({{ expr }})
{%- endmacro %}

{#- Decompose (NFD) and drop the combining diacritical marks U+0300-U+036F: every mark of
    Vietnamese (tones, circumflex, breve, horn) and of the Latin-script names in the sources. -#}
{% macro postgres__sd_strip_accents(expr) -%}
    regexp_replace(normalize({{ expr }}, NFD), '[\u0300-\u036f]', '', 'g')
{%- endmacro %}


{#- Stop the build with a message naming the offending value (as a text-typed expression). -#}
{% macro sd_raise_error(message) -%}
    {{- return(adapter.dispatch('sd_raise_error', 'sector_datasets')(message)) -}}
{%- endmacro %}

{% macro default__sd_raise_error(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro postgres__sd_raise_error(message) -%}
    sd_util.raise_error({{ message }})
{%- endmacro %}


{#- try_strptime(expr, format): a timestamp, or NULL when expr does not follow the format. -#}
{% macro sd_try_strptime(expr, format) -%}
    {{- return(adapter.dispatch('sd_try_strptime', 'sector_datasets')(expr, format)) -}}
{%- endmacro %}

{% macro default__sd_try_strptime(expr, format) -%}
    try_strptime({{ expr }}, '{{ format }}')
{%- endmacro %}

{#- PostgreSQL reads these layouts with its own timestamp input; each format the models use
    maps to a regular expression the text must match first. -#}
{% macro postgres__sd_try_strptime(expr, format) -%}
    {%- set layouts = {
        '%Y-%m-%d %I:%M %p': '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} (0?[1-9]|1[0-2]):[0-5][0-9] [AaPp][Mm]$',
        '%Y-%m-%d %H:%M:%S': '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} ([01]?[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$',
        '%Y-%m-%d': '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$',
    } -%}
    {%- if format not in layouts -%}
    {{ exceptions.raise_compiler_error("sd_try_strptime: no PostgreSQL layout for format '" ~ format ~ "'") }}
    {%- endif -%}
    (case when ({{ expr }}) ~ '{{ layouts[format] }}' then cast({{ expr }} as timestamp) end)
{%- endmacro %}


{#- Numeric character references (&#233; -> é) replaced in order of appearance, every occurrence
    of each, as DuckDB's list_reduce over regexp_extract_all does. -#}
{% macro sd_decode_numeric_html_entities(expr) -%}
    {{- return(adapter.dispatch('sd_decode_numeric_html_entities', 'sector_datasets')(expr)) -}}
{%- endmacro %}

{% macro default__sd_decode_numeric_html_entities(expr) -%}
        list_reduce(
            list_prepend({{ expr }}, regexp_extract_all({{ expr }}, '&#[0-9]{1,7};')),
            lambda decoded, entity: replace(decoded, entity, chr(cast(regexp_extract(entity, '[0-9]+') as integer)))
        )
{%- endmacro %}

{% macro postgres__sd_decode_numeric_html_entities(expr) -%}
    sd_util.decode_numeric_html_entities({{ expr }})
{%- endmacro %}

{#- Casts and rounding that DuckDB and PostgreSQL spell (or compute) differently.
    See _overview.sql for the whole set of cross-database macros. -#}

{#- try_cast(expr as type): NULL instead of an error when the text is not a value of the type.
    type: double | float8 | integer | bigint | smallint | decimal(p, s) | date | varchar. -#}
{% macro sd_try_cast(expr, type) -%}
    {{- return(adapter.dispatch('sd_try_cast', 'sector_datasets')(expr, type)) -}}
{%- endmacro %}

{% macro default__sd_try_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{#- PostgreSQL 15 has no try_cast (nor pg_input_is_valid): the text is checked with a regular
    expression first and cast only when it matches, following DuckDB's rules for what casts:
    leading/trailing white space is allowed; a number may have a sign, a fraction, an exponent and
    single underscores between digits ('1_000'); "inf"/"infinity"/"nan" are doubles; text to an
    integer type goes through an exact decimal and rounds half away from zero ('1.5' -> 2,
    '1e3' -> 1000) and is NULL out of range; a decimal(p, s) rounds to s digits and is NULL when it
    needs more than p - s integer digits; a date is Y-M-D with a real day of the month, optionally
    followed by a time of day (ignored), or +/-infinity. DuckDB quirks not reproduced: hexadecimal
    integers ('0x10') and the date 'epoch'. Nested CASEs keep the cast
    from running on text that did not match (PostgreSQL does not promise left-to-right AND). -#}
{% macro postgres__sd_try_cast(expr, type) -%}
    {%- set t = type | lower | replace(' ', '') -%}
    {%- set text = "cast((" ~ expr ~ ") as text)" -%}
    {%- set digits = "[0-9]+(_[0-9]+)*" -%}
    {%- set mantissa = "[+-]?(" ~ digits ~ "([.](" ~ digits ~ ")?)?|[.]" ~ digits ~ ")" -%}
    {%- set space = "[[:space:]]*" -%}
    {%- set number = "'^" ~ space ~ mantissa ~ "([eE][+-]?" ~ digits ~ ")?" ~ space ~ "$'" -%}
    {%- set plain = "replace(" ~ text ~ ", '_', '')" -%}
    {%- set integers = {
        'smallint': ('smallint', -32768, 32767), 'int2': ('smallint', -32768, 32767),
        'integer': ('integer', -2147483648, 2147483647), 'int': ('integer', -2147483648, 2147483647),
        'int4': ('integer', -2147483648, 2147483647),
        'bigint': ('bigint', -9223372036854775808, 9223372036854775807),
        'int8': ('bigint', -9223372036854775808, 9223372036854775807),
    } -%}
    {%- if t in ('double', 'float8', 'doubleprecision') -%}
    (case
        when {{ text }} ~ {{ number }} then cast({{ plain }} as double precision)
        when {{ text }} ~* '^{{ space }}[+-]?(inf|infinity|nan){{ space }}$' then cast({{ text }} as double precision)
    end)
    {%- elif t in integers -%}
    {%- set pg_type, low, high = integers[t] -%}
    (case
        when {{ text }} ~ {{ number }} then (case
            when round(cast({{ plain }} as numeric)) between {{ low }} and {{ high }}
                then cast(round(cast({{ plain }} as numeric)) as {{ pg_type }})
        end)
    end)
    {%- elif t.startswith('decimal(') or t.startswith('numeric(') -%}
    {%- set precision, scale = (t.split('(', 1)[1].rstrip(')').split(',') | map('int') | list) -%}
    {#- the outer cast keeps the type's precision and scale, which a CASE drops -#}
    cast((case
        when {{ text }} ~ {{ number }} then (case
            when abs(round(cast({{ plain }} as numeric), {{ scale }})) < 1e{{ precision - scale }}
                then cast({{ plain }} as numeric({{ precision }}, {{ scale }}))
        end)
    end) as numeric({{ precision }}, {{ scale }}))
    {%- elif t == 'date' -%}
    {%- set ymd = "substring(" ~ text ~ " from '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')" -%}
    {%- set part = "cast(split_part(" ~ ymd ~ ", '-', %d) as integer)" -%}
    (case
        when {{ text }} ~ '^{{ space }}[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}[^ ]*( ?[AaPp][Mm])?)?{{ space }}$' then (case
            when {{ part | format(1) }} >= 1 and {{ part | format(2) }} between 1 and 12 then (case
                when {{ part | format(3) }} between 1 and cast(extract(day from
                    make_date({{ part | format(1) }}, {{ part | format(2) }}, 1) + interval '1 month - 1 day') as integer)
                    then make_date({{ part | format(1) }}, {{ part | format(2) }}, {{ part | format(3) }})
            end)
        end)
        when {{ text }} ~* '^{{ space }}[+]?inf(inity)?{{ space }}$' then cast('infinity' as date)
        when {{ text }} ~* '^{{ space }}-inf(inity)?{{ space }}$' then cast('-infinity' as date)
    end)
    {%- elif t in ('varchar', 'text') -%}
    {{ text }}
    {%- else -%}
    {{ exceptions.raise_compiler_error("sd_try_cast: no PostgreSQL implementation for type '" ~ type ~ "'") }}
    {%- endif -%}
{%- endmacro %}


{#- round(double, digits), DuckDB's way: round(x * 10^digits) / 10^digits in double precision,
    half away from zero. -#}
{% macro sd_round(expr, digits) -%}
    {{- return(adapter.dispatch('sd_round', 'sector_datasets')(expr, digits)) -}}
{%- endmacro %}

{% macro default__sd_round(expr, digits) -%}
    round({{ expr }}, {{ digits }})
{%- endmacro %}

{#- PostgreSQL has round(numeric, int) only, and round(double) rounds half to even; the same
    double arithmetic as DuckDB is spelled out: v = x * 10^d; |v| - floor(|v|) is exact, so the
    half-way test is exact too. -#}
{% macro postgres__sd_round(expr, digits) -%}
    {%- set scale = "cast(" ~ (10 ** (digits | int)) ~ " as double precision)" -%}
    {%- set v = "(cast((" ~ expr ~ ") as double precision) * " ~ scale ~ ")" -%}
    (sign({{ v }}) * (case
        when abs({{ v }}) - floor(abs({{ v }})) >= cast(0.5 as double precision) then floor(abs({{ v }})) + 1
        else floor(abs({{ v }}))
    end) / {{ scale }})
{%- endmacro %}

{#- Column lists, unpivots and JSON arrays: DuckDB's star expressions and UNPIVOT have no
    PostgreSQL counterpart, so column lists are read from the warehouse when the model runs
    (adapter.get_columns_in_relation; at parse time, when nothing runs, they are empty). -#}

{#- prefix.* except some columns. relation: the relation (ref/source) whose columns the star
    stands for; extra: columns the CTE adds after the relation's own (a computed key, a copy of a
    column), in order. DuckDB needs neither: it expands the star itself. -#}
{% macro sd_star_except(relation, except=[], prefix=none, extra=[]) -%}
    {{- return(adapter.dispatch('sd_star_except', 'sector_datasets')(relation, except, prefix, extra)) -}}
{%- endmacro %}

{% macro default__sd_star_except(relation, except, prefix, extra) -%}
    {%- set star = (prefix ~ '.*') if prefix else '*' -%}
    {%- if except | length > 0 -%}
    {{ star }} exclude ({{ except | join(', ') }})
    {%- else -%}
    {{ star }}
    {%- endif -%}
{%- endmacro %}

{% macro postgres__sd_star_except(relation, except, prefix, extra) -%}
    {%- if not execute -%}
    *
    {%- else -%}
    {%- set excluded = except | map('lower') | list -%}
    {%- set kept = [] -%}
    {%- for name in sd_column_names(relation) + extra -%}
        {%- if name | lower not in excluded -%}
            {%- do kept.append((prefix ~ '.' if prefix else '') ~ adapter.quote(name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if kept | length == 0 -%}
    {{ exceptions.raise_compiler_error("sd_star_except: no column of " ~ relation ~ " is left after excluding " ~ except) }}
    {%- endif -%}
    {{ kept | join(', ') }}
    {%- endif -%}
{%- endmacro %}


{#- The column names of a relation, in order (empty at parse time). -#}
{% macro sd_column_names(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(column.name) -%}
        {%- endfor -%}
        {%- if names | length == 0 -%}
        {{ exceptions.raise_compiler_error("sd_column_names: " ~ relation ~ " has no columns (does it exist?)") }}
        {%- endif -%}
    {%- endif -%}
    {{- return(names) -}}
{%- endmacro %}


{#- The names of the relation's columns matching a (Python) regular expression, minus except:
    what DuckDB's COLUMNS('regex') and COLUMNS(* EXCLUDE (...)) select. -#}
{% macro sd_columns_matching(relation, pattern='.*', except=[]) -%}
    {%- set found = [] -%}
    {%- for name in sd_column_names(relation) -%}
        {%- if modules.re.search(pattern, name) and name not in except -%}
            {%- do found.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}


{#- UNPIVOT.
        relation_sql   what to unpivot: a CTE name or a parenthesised SELECT
        ids            columns carried over from each source row
        values         columns to unpivot: names, or (name, [column, column, ...]) pairs when
                       several value columns are unpivoted together
        name_column    the column that holds the unpivoted column's name
        value_columns  the value column(s)
        include_nulls  keep rows whose value is NULL; without it a row is dropped when ANY of its
                       value columns is NULL (DuckDB UNPIVOT's rule, also for several value
                       columns, where one NULL drops the pair)
    Output columns: ids, name_column, value_columns. DuckDB: its UNPIVOT clause (a lateral VALUES
    list of a thousand columns is slow to plan there); PostgreSQL: a lateral VALUES list. -#}
{% macro sd_unpivot(relation_sql, ids, values, name_column, value_columns, include_nulls=false) -%}
    {{- return(adapter.dispatch('sd_unpivot', 'sector_datasets')(relation_sql, ids, values, name_column, value_columns, include_nulls)) -}}
{%- endmacro %}

{% macro default__sd_unpivot(relation_sql, ids, values, name_column, value_columns, include_nulls) -%}
{%- set several = value_columns | length > 1 -%}
select
    {%- for id in ids %}
    unpivoted.{{ id }},
    {%- endfor %}
    unpivoted.{{ name_column }},
    {%- for value_column in value_columns %}
    unpivoted.{{ value_column }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ relation_sql }}
unpivot {{- ' include nulls' if include_nulls }} (
    {{ '(' ~ value_columns | join(', ') ~ ')' if several else value_columns[0] }} for {{ name_column }} in (
        {%- for entry in values %}
        {%- if entry is string %}
        {{ entry }}{{ ',' if not loop.last }}
        {%- elif several %}
        ({{ entry[1] | join(', ') }}) as {{ entry[0] }}{{ ',' if not loop.last }}
        {%- else %}
        {{ entry[1][0] }} as {{ entry[0] }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    )
) as unpivoted
{%- endmacro %}

{% macro postgres__sd_unpivot(relation_sql, ids, values, name_column, value_columns, include_nulls) -%}
select
    {%- for id in ids %}
    source_rows.{{ id }},
    {%- endfor %}
    unpivoted.{{ name_column }},
    {%- for value_column in value_columns %}
    unpivoted.{{ value_column }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ relation_sql }} as source_rows
cross join lateral (
    values
    {%- for entry in values %}
    {%- if entry is string %}
        ('{{ entry }}', source_rows.{{ entry }}){{ ',' if not loop.last }}
    {%- else %}
        ('{{ entry[0] }}', {% for column in entry[1] %}source_rows.{{ column }}{{ ', ' if not loop.last }}{% endfor %}){{ ',' if not loop.last }}
    {%- endif %}
    {%- endfor %}
) as unpivoted ({{ name_column }}, {{ value_columns | join(', ') }})
{%- if not include_nulls %}
where {% for value_column in value_columns %}unpivoted.{{ value_column }} is not null{{ ' and ' if not loop.last }}{% endfor %}
{%- endif %}
{%- endmacro %}


{#- One row per object of a JSON array of flat objects, its fields as text columns, next to the
    keep columns of the row that held the array. Rows whose array is NULL or empty give no row. -#}
{% macro sd_unnest_json_objects(relation_sql, json_expr, keep, fields) -%}
    {{- return(adapter.dispatch('sd_unnest_json_objects', 'sector_datasets')(relation_sql, json_expr, keep, fields)) -}}
{%- endmacro %}

{% macro default__sd_unnest_json_objects(relation_sql, json_expr, keep, fields) -%}
    select
        {%- for column in keep %}
        {{ column }},
        {%- endfor %}
        unnest(
            from_json({{ json_expr }}, '[{ {%- for field in fields -%}"{{ field }}": "VARCHAR"{{ ', ' if not loop.last }}{%- endfor -%} }]'),
            recursive := true
        )
    from {{ relation_sql }}
{%- endmacro %}

{% macro postgres__sd_unnest_json_objects(relation_sql, json_expr, keep, fields) -%}
    select
        {%- for column in keep %}
        {{ column }},
        {%- endfor %}
        {%- for field in fields %}
        json_records.{{ adapter.quote(field) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation_sql }}
    cross join lateral json_to_recordset(cast({{ json_expr }} as json))
        as json_records ({% for field in fields %}{{ adapter.quote(field) }} text{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}


{#- Run before every dbt invocation (dbt_project.yml on-run-start): the PostgreSQL helper
    functions some macros call. Nothing for DuckDB. -#}
{% macro sd_on_run_start() -%}
    {{- return(adapter.dispatch('sd_on_run_start', 'sector_datasets')()) -}}
{%- endmacro %}

{% macro default__sd_on_run_start() -%}
{%- endmacro %}

{#- One DO block under an advisory lock, so that two dbt processes starting at once do not race
    on CREATE OR REPLACE FUNCTION ("tuple concurrently updated"). -#}
{% macro postgres__sd_on_run_start() -%}
do $sd_on_run_start$
begin
    perform pg_advisory_xact_lock(6838195530186981377);
    create schema if not exists sd_util;

    create or replace function sd_util.raise_error(message text) returns text
    language plpgsql volatile as $fn$
    begin
        raise exception '%', message;
    end
    $fn$;

    create or replace function sd_util.decode_numeric_html_entities(input text) returns text
    language plpgsql immutable as $fn$
    declare
        decoded text := input;
        entity text;
    begin
        if input is null then
            return null;
        end if;
        for entity in select match[1] from regexp_matches(input, '(&#[0-9]{1,7};)', 'g') as match loop
            decoded := replace(decoded, entity, chr(cast(substring(entity from '[0-9]+') as integer)));
        end loop;
        return decoded;
    end
    $fn$;
end
$sd_on_run_start$
{%- endmacro %}

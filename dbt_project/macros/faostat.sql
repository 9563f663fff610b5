{#- The common first step of every FAOSTAT / FishStat extract (rajaoberison/publicdata scripts;
    raw columns all VARCHAR, missing values the literal "NA"): Viet Nam's rows only, text trimmed
    with "NA" -> NULL, flags typed, value and year typed. Returns a SELECT, for a model's first
    CTE; the model then maps its own element/unit pairs to measures and drops its own aggregates.
        renamed as ({{ faostat_viet_nam_rows('qcl', {'item_name': 'item'}, flags={'is_group_aggregate': 'grouped'}) }})
    Returned columns:
      * <country_prefix>_iso3, <country_prefix>_name (raw iso3, area): "country", or "reporter"
        for a trade matrix, whose partner is one of the columns;
      * one per columns entry (output name: raw column), nullif(trim(raw), 'NA');
      * one per flags entry (output name: raw column), true where the raw text is "yes";
      * one per extras entry: a full expression with its alias, for a column that does not follow
        the NA rule (e.g. a code kept as upper case);
      * value_raw (double, not yet scaled or rounded), year (integer), _loaded_at.
    Viet Nam only: the extracts also hold World rows (area "World") and South-eastern Asia rows
    (iso3 and area "NA": unweighted means computed by the extract script, not FAO figures); both
    are dropped by keeping iso3 = VNM. -#}
{% macro faostat_viet_nam_rows(table_name, columns, flags={}, extras=[], country_prefix='country') %}
select
    -- ids
    nullif(trim(iso3), 'NA') as {{ country_prefix }}_iso3,
    -- strings
    nullif(trim(area), 'NA') as {{ country_prefix }}_name,
    {%- for alias, raw_column in columns.items() %}
    nullif(trim({{ raw_column }}), 'NA') as {{ alias }},
    {%- endfor %}
    {%- for expression in extras %}
    {{ expression }},
    {%- endfor %}
    -- flags
    {%- for alias, raw_column in flags.items() %}
    lower(trim({{ raw_column }})) = 'yes' as {{ alias }},
    {%- endfor %}
    -- numerics
    {{ sd_try_cast("nullif(trim(value), 'NA')", 'double') }} as value_raw,
    -- dates
    {{ sd_try_cast('year', 'integer') }} as year,
    _loaded_at
from {{ source('faostat', table_name) }}
where trim(iso3) = 'VNM'
{% endmacro %}

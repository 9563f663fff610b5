{#- Both province bases of one province table: the 63 pre-2025 provinces as published, and the 34
    provincial units in force since 1 July 2025, re-aggregated through dim_province's crosswalk.

    relation_sql  a relation or "(select ...)" with province_code (pre-2025 GSO code as in
                  dim_province), the `by` columns and the `sums` columns
    by            the columns that, with the area, make a row (e.g. ['year'])
    sums          counts and amounts: a unit's value is the sum over its provinces, and NULL unless
                  every one of them has a value (a partial total is never published as a total)

    Emits: geo_basis ('province_63' | 'unit_2025_34'), area_code, area_name_vi, unit_2025_code,
    unit_2025_name_vi, the by columns, the sums, province_count (pre-2025 provinces in the area)
    and provinces_reporting (those with a value of the first sum column). Rates, shares and
    per-capita values are NOT aggregated here: the caller derives them from the summed components
    on both bases, or leaves them NULL on the 34-unit basis and says so - never an average. -#}
{% macro province_bases(relation_sql, by, sums) -%}
(
    with province_rows as (
        select
            dim.province_code,
            dim.province_name_vi,
            dim.unit_2025_code,
            dim.unit_2025_name_vi,
            {% for col in by %}src.{{ col }},{% endfor %}
            {% for col in sums %}src.{{ col }}{{ ',' if not loop.last }}{% endfor %}
        from {{ relation_sql }} as src
        inner join {{ ref('dim_province') }} as dim
            on dim.province_code = src.province_code
    ),

    unit_sizes as (
        select unit_2025_code, count(*) as province_count
        from {{ ref('dim_province') }}
        group by unit_2025_code
    )

    select
        'province_63' as geo_basis,
        province_code as area_code,
        province_name_vi as area_name_vi,
        unit_2025_code,
        unit_2025_name_vi,
        {% for col in by %}{{ col }},{% endfor %}
        {% for col in sums %}{{ col }},{% endfor %}
        1 as province_count,
        case when {{ sums[0] }} is null then 0 else 1 end as provinces_reporting
    from province_rows

    union all

    select
        'unit_2025_34' as geo_basis,
        province_rows.unit_2025_code as area_code,
        max(province_rows.unit_2025_name_vi) as area_name_vi,
        province_rows.unit_2025_code,
        max(province_rows.unit_2025_name_vi) as unit_2025_name_vi,
        {% for col in by %}province_rows.{{ col }},{% endfor %}
        {% for col in sums -%}
        case when count(province_rows.{{ col }}) = max(unit_sizes.province_count)
            then sum(province_rows.{{ col }}) end as {{ col }},
        {% endfor %}
        max(unit_sizes.province_count) as province_count,
        count(province_rows.{{ sums[0] }}) as provinces_reporting
    from province_rows
    inner join unit_sizes on unit_sizes.unit_2025_code = province_rows.unit_2025_code
    group by province_rows.unit_2025_code{% for col in by %}, province_rows.{{ col }}{% endfor %}
)
{%- endmacro %}


-- GSO aquaculture production by province, long: one row per published province and year
-- (2013-2018). Both keys of the source are kept for the mart's check: the published code padded
-- to the 2-digit pre-2025 GSO code, and the province that the published name resolves to through
-- int_province_aliases (NULL when it resolves to none). The mart agri_aquaculture_province stops
-- the build when either is missing from dim_province or when they disagree.
with aquaculture as (
    select * from {{ ref('stg_gso__aquaculture_province') }}
),

aliases as (
    select * from {{ ref('int_province_aliases') }}
),

{%- set by_year -%}
    (
        select
            province_code_raw,
            province_name_raw,
            production_2013_t as y2013,
            production_2014_t as y2014,
            production_2015_t as y2015,
            production_2016_t as y2016,
            production_2017_t as y2017,
            production_2018_t as y2018
        from aquaculture
    )
{%- endset %}

unpivoted as (
    -- include_nulls: a year without a value stays a row (NULL), it is not silently dropped
    {{ sd_unpivot(
        by_year,
        ids=['province_code_raw', 'province_name_raw'],
        values=['y2013', 'y2014', 'y2015', 'y2016', 'y2017', 'y2018'],
        name_column='year_column',
        value_columns=['production_t'],
        include_nulls=true,
    ) }}
),

resolved as (
    select
        -- ids
        lpad(unpivoted.province_code_raw, 2, '0') as province_code,
        aliases.province_code as name_province_code,
        -- strings
        unpivoted.province_code_raw,
        unpivoted.province_name_raw,
        -- numerics
        unpivoted.production_t,
        -- dates: "y2013" -> 2013
        cast(substr(unpivoted.year_column, 2) as integer) as year
    from unpivoted
    left join aliases
        on {{ vn_name_key('unpivoted.province_name_raw') }} = aliases.name_key
)

select * from resolved

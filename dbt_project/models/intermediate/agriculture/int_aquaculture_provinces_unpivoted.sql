-- GSO aquaculture production by province, long: one row per published province and year
-- (2013-2018), with the published code (unpadded integer text) and unaccented English name kept
-- as published, and the code padded to 2 digits. The mart agri_aquaculture_province checks code
-- and name against dim_province (macro province_code_name_checked), stopping the build on a
-- mismatch.
with aquaculture as (
    select * from {{ ref('stg_gso__aquaculture_province') }}
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
)

select
    -- ids: the published code padded to the 2-digit pre-2025 GSO code ("1" -> "01"); whether it
    -- is a province, and the one its name says, is checked in the mart
    lpad(province_code_raw, 2, '0') as province_code,
    -- strings: as published
    province_code_raw,
    province_name_raw,
    -- numerics: tonnes (unit inferred, not stated in the file)
    production_t,
    -- dates: "y2013" -> 2013
    cast(substr(year_column, 2) as integer) as year
from unpivoted

-- UNDP HDR composite indices time series, Viet Nam row: 1 row x 1,112 columns unpivoted to one
-- row per indicator x year. Column names are <indicator>_<year>, and indicator codes themselves
-- contain underscores and digits (mys_f_2023, co2_prod_1990, hdi_rank_2023), so the split is on
-- the LAST "_<4 digits>". Empty cells (40, all 1990-1994) become NULL values, kept here and
-- dropped by the marts. Year columns are picked by name pattern, so a release with an extra year
-- needs no change (sd_columns_matching reads them when the model runs; sd_unpivot unpivots).
with source as (
    select * from {{ source('undp', 'hdr_composite') }}
),

unpivoted as (
    {{ sd_unpivot(
        'source',
        ids=['iso3', 'country', 'hdicode', 'region', '_loaded_at'],
        values=sd_columns_matching(source('undp', 'hdr_composite'), '^[a-z][a-z0-9_]*_[0-9]{4}$'),
        name_column='indicator_year',
        value_columns=['value_text'],
        include_nulls=true,
    ) }}
),

renamed as (
    select
        -- ids
        nullif(trim(iso3), '') as country_iso3,
        {{ sd_regexp_extract('indicator_year', "'^(.+)_([0-9]{4})$'", 1) }} as indicator_code,
        -- strings
        nullif(trim(country), '') as country_name,
        nullif(trim(hdicode), '') as hdi_group,
        nullif(trim(region), '') as hdr_region,
        -- numerics: empty string = not reported
        {{ sd_try_cast("nullif(trim(value_text), '')", 'double') }} as value,
        -- dates
        cast({{ sd_regexp_extract('indicator_year', "'^(.+)_([0-9]{4})$'", 2) }} as integer) as year,
        _loaded_at
    from unpivoted
)

select * from renamed

-- Deaths registered (GSO/NSO civil registration, 2018-2023), long: one row per published area
-- (whole country, 6 regions, 63 provinces) and year, with the three measures side by side, and
-- the province rows' unaccented English names resolved to pre-2025 GSO codes through
-- int_province_aliases (NULL when a name resolves to none; aggregate rows keep NULL). The mart
-- health_deaths_registered_province refuses to build while a province name is unresolved.
with deaths as (
    select * from {{ ref('stg_datacommons__deaths_registered_province') }}
),

aliases as (
    select * from {{ ref('int_province_aliases') }}
),

unpivoted as (
    -- include_nulls: a year without a value stays a row (NULL), it is not silently dropped
    {{ sd_unpivot(
        'deaths',
        ids=['area_level', 'area_name_raw'],
        values=[
            ('y2018', ['deaths_2018_total', 'deaths_2018_on_time', 'deaths_2018_late']),
            ('y2019', ['deaths_2019_total', 'deaths_2019_on_time', 'deaths_2019_late']),
            ('y2020', ['deaths_2020_total', 'deaths_2020_on_time', 'deaths_2020_late']),
            ('y2021', ['deaths_2021_total', 'deaths_2021_on_time', 'deaths_2021_late']),
            ('y2022', ['deaths_2022_total', 'deaths_2022_on_time', 'deaths_2022_late']),
            ('y2023', ['deaths_2023_total', 'deaths_2023_on_time', 'deaths_2023_late']),
        ],
        name_column='year_column',
        value_columns=['deaths_registered', 'deaths_registered_on_time', 'deaths_registered_late'],
        include_nulls=true,
    ) }}
),

resolved as (
    select
        -- ids
        case when unpivoted.area_level = 'province' then aliases.province_code end as province_code,
        -- strings
        unpivoted.area_level,
        unpivoted.area_name_raw,
        -- numerics: persons
        unpivoted.deaths_registered,
        unpivoted.deaths_registered_on_time,
        unpivoted.deaths_registered_late,
        -- dates: "y2018" -> 2018
        cast(substr(unpivoted.year_column, 2) as integer) as year
    from unpivoted
    left join aliases
        on unpivoted.area_level = 'province'
        and {{ vn_name_key('unpivoted.area_name_raw') }} = aliases.name_key
)

select * from resolved

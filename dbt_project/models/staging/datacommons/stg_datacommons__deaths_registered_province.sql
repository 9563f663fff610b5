-- GSO/NSO PX-Web table "Number of deaths was registered by province" (civil registration),
-- 2018-2023, as exported by Data Commons: one row per area (whole country, 6 regions, 63
-- provinces), wide by year x measure (total, registered on time, registered late), typed.
-- The title line and the blank line above the header are skipped by the loader (csv skip_rows).
-- Names stay as published, with repeated inner spaces collapsed ("Thai  Nguyen" -> "Thai Nguyen");
-- area_level tells the whole-country and regional aggregate rows from the provinces, which are
-- resolved to GSO codes downstream (an aggregate label not listed here is then an unresolvable
-- province name and stops the build, so a new aggregate cannot slip in as a province).
with source as (
    select * from {{ source('datacommons', 'deaths_registered_province') }}
),

renamed as (
    select
        -- strings
        regexp_replace(trim(cities_provinces), ' {2,}', ' ', 'g') as area_name_raw,
        -- numerics: deaths registered in the year, persons
        {{ gso_number('c_2018_total', 'integer') }} as deaths_2018_total,
        {{ gso_number('c_2018_on_time_registered', 'integer') }} as deaths_2018_on_time,
        {{ gso_number('c_2018_out_of_date_registered', 'integer') }} as deaths_2018_late,
        {{ gso_number('c_2019_total', 'integer') }} as deaths_2019_total,
        {{ gso_number('c_2019_on_time_registered', 'integer') }} as deaths_2019_on_time,
        {{ gso_number('c_2019_out_of_date_registered', 'integer') }} as deaths_2019_late,
        {{ gso_number('c_2020_total', 'integer') }} as deaths_2020_total,
        {{ gso_number('c_2020_on_time_registered', 'integer') }} as deaths_2020_on_time,
        {{ gso_number('c_2020_out_of_date_registered', 'integer') }} as deaths_2020_late,
        {{ gso_number('c_2021_total', 'integer') }} as deaths_2021_total,
        {{ gso_number('c_2021_on_time_registered', 'integer') }} as deaths_2021_on_time,
        {{ gso_number('c_2021_out_of_date_registered', 'integer') }} as deaths_2021_late,
        {{ gso_number('c_2022_total', 'integer') }} as deaths_2022_total,
        {{ gso_number('c_2022_on_time_registered', 'integer') }} as deaths_2022_on_time,
        {{ gso_number('c_2022_out_of_date_registered', 'integer') }} as deaths_2022_late,
        {{ gso_number('c_2023_total', 'integer') }} as deaths_2023_total,
        {{ gso_number('c_2023_on_time_registered', 'integer') }} as deaths_2023_on_time,
        {{ gso_number('c_2023_out_of_date_registered', 'integer') }} as deaths_2023_late,
        _loaded_at
    from source
),

classified as (
    select
        case
            when lower(area_name_raw) = 'whole country' then 'country'
            when lower(area_name_raw) in (
                'red river delta',
                'northern midlands and mountain areas',
                'northern central area and central coastal area',
                'central highlands',
                'south east',
                'mekong river delta'
            ) then 'region'
            else 'province'
        end as area_level,
        *
    from renamed
)

select * from classified

-- GSO "Production of aquaculture by province" 2013-2018 (63 pre-2025 provinces), as compiled in
-- non-ceterisparibus/Vietnam-development-map: one row per province, one column per year, typed.
-- The file does not state a unit; the values are tonnes (the 63 provinces sum to 4,161,816 in
-- 2018, within 1 % of FAO FishStat's national aquaculture output), hence the _t names.
-- Codes stay as published (unpadded integers) and names as published (unaccented English): both
-- are checked against dim_province downstream, where a mismatch stops the build.
with source as (
    select * from {{ source('gso', 'aquaculture_province') }}
),

renamed as (
    select
        -- ids: GSO province code as published ("1" for Hà Nội), padded downstream after the check
        nullif(trim(code), '') as province_code_raw,
        -- strings
        nullif(trim(name), '') as province_name_raw,
        -- numerics: production per year, tonnes (GSO markers, if any, become NULL)
        {{ gso_number('c_2013') }} as production_2013_t,
        {{ gso_number('c_2014') }} as production_2014_t,
        {{ gso_number('c_2015') }} as production_2015_t,
        {{ gso_number('c_2016') }} as production_2016_t,
        {{ gso_number('c_2017') }} as production_2017_t,
        {{ gso_number('c_2018') }} as production_2018_t,
        _loaded_at
    from source
)

select * from renamed

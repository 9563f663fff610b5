-- GSO (VHLSS 2018) monthly average income per capita by source and province (Vietnam-
-- development-map copy), one row per province. The file has neither year nor unit: 2018 per
-- the repository README, thousand VND per person per month (totals 1,477-6,823). The four
-- sources add up to the total only within rounding (-1..+2); they are published as given.
with source as (
    select * from {{ source('gso', 'income_per_capita_province_2018') }}
),

renamed as (
    select
        -- ids
        lpad(cast({{ sd_try_cast("nullif(trim(code), '')", 'integer') }} as varchar), 2, '0') as province_code,
        -- strings
        nullif(trim(name_en), '') as province_name_raw,
        -- numerics: thousand VND per person per month
        {{ gso_number('income_total_average') }} as income_total_thousand_vnd,
        {{ gso_number('income_salary') }} as income_wages_thousand_vnd,
        {{ gso_number('income_agri') }} as income_agriculture_thousand_vnd,
        {{ gso_number('income_non_agri') }} as income_non_farm_thousand_vnd,
        {{ gso_number('income_others') }} as income_other_thousand_vnd,
        -- dates: not in the file
        2018 as year,
        _loaded_at
    from source
)

select * from renamed

-- Deaths registered by province and year (GSO/NSO civil registration, 2018-2023) on both province
-- bases: the 63 pre-2025 provinces as published and the 34 provincial units in force since
-- 1 July 2025 (sums over their former provinces, macro province_bases; NULL unless every one of
-- them reports). The late-registration share is re-derived from the summed counts on both bases.
-- The whole-country and regional rows of the source are not published; the whole-country row is
-- the check on the provinces. The build stops (sd_raise_error), naming what failed, when
--   * a province name does not resolve to a pre-2025 province (int_province_aliases),
--   * a province's or the whole country's total differs from on-time + late registrations,
--   * the 63 provinces do not add up to the whole-country row in a year, for any measure.
{%- set unresolved -%}
'health_deaths_registered_province: province name "' || deaths.area_name_raw || '" (year '
|| cast(deaths.year as varchar) || ') does not resolve to a pre-2025 province; '
|| 'add it to seeds/province_name_aliases.csv if it truly is an alias'
{%- endset %}
{%- set parts_differ -%}
'health_deaths_registered_province: "' || deaths.area_name_raw || '" ' || cast(deaths.year as varchar)
|| ': total ' || cast(deaths.deaths_registered as varchar) || ' <> on-time '
|| cast(deaths.deaths_registered_on_time as varchar) || ' + late '
|| cast(deaths.deaths_registered_late as varchar)
{%- endset %}
{%- set country_parts_differ -%}
'health_deaths_registered_province: WHOLE COUNTRY ' || cast(country.year as varchar)
|| ': total ' || cast(country.deaths_registered as varchar) || ' <> on-time '
|| cast(country.deaths_registered_on_time as varchar) || ' + late '
|| cast(country.deaths_registered_late as varchar)
{%- endset %}
{%- set sum_differs -%}
'health_deaths_registered_province: the 63 provinces do not add up to the whole-country row in '
|| cast(province_sums.year as varchar) || ': total ' || cast(province_sums.deaths_registered as varchar)
|| ' vs ' || coalesce(cast(country.deaths_registered as varchar), 'no whole-country row')
|| ', on-time ' || cast(province_sums.deaths_registered_on_time as varchar)
|| ' vs ' || coalesce(cast(country.deaths_registered_on_time as varchar), '-')
|| ', late ' || cast(province_sums.deaths_registered_late as varchar)
|| ' vs ' || coalesce(cast(country.deaths_registered_late as varchar), '-')
{%- endset %}
with deaths as (
    select * from {{ ref('int_deaths_registered_resolved') }}
),

country as (
    -- the checks are text columns: PostgreSQL types the raising branch as text, and CASE
    -- branches must agree
    select
        year,
        deaths_registered,
        deaths_registered_on_time,
        deaths_registered_late,
        case
            when deaths_registered <> deaths_registered_on_time + deaths_registered_late
                then {{ sd_raise_error(country_parts_differ) }}
            else 'ok'
        end as parts_check
    from deaths as country
    where area_level = 'country'
),

province_sums as (
    select
        year,
        sum(deaths_registered) as deaths_registered,
        sum(deaths_registered_on_time) as deaths_registered_on_time,
        sum(deaths_registered_late) as deaths_registered_late
    from deaths
    where area_level = 'province'
    group by year
),

year_checks as (
    -- one row per year; 'ok' when the whole-country row is consistent and the provinces add up
    -- to it on every measure
    select
        province_sums.year,
        case
            when country.year is null
                or province_sums.deaths_registered <> country.deaths_registered
                or province_sums.deaths_registered_on_time <> country.deaths_registered_on_time
                or province_sums.deaths_registered_late <> country.deaths_registered_late
                then {{ sd_raise_error(sum_differs) }}
            when country.parts_check <> 'ok' then null
            else 'ok'
        end as provinces_add_up
    from province_sums
    left join country
        on country.year = province_sums.year
),

checked as (
    select
        case
            when deaths.province_code is null then {{ sd_raise_error(unresolved) }}
            when deaths.deaths_registered <> deaths.deaths_registered_on_time + deaths.deaths_registered_late
                then {{ sd_raise_error(parts_differ) }}
            when year_checks.provinces_add_up <> 'ok' then null
            else deaths.province_code
        end as province_code,
        deaths.year,
        deaths.deaths_registered,
        deaths.deaths_registered_on_time,
        deaths.deaths_registered_late
    from deaths
    inner join year_checks
        on year_checks.year = deaths.year
    where deaths.area_level = 'province'
),

bases as (
    {{ province_bases(
        'checked',
        by=['year'],
        sums=['deaths_registered', 'deaths_registered_on_time', 'deaths_registered_late'],
    ) }}
)

select
    -- ids
    geo_basis,
    area_code,
    year,
    -- strings
    area_name_vi,
    unit_2025_code,
    unit_2025_name_vi,
    -- numerics: persons; the share is re-derived from the (summed) counts, never averaged
    cast(deaths_registered as bigint) as deaths_registered,
    cast(deaths_registered_on_time as bigint) as deaths_registered_on_time,
    cast(deaths_registered_late as bigint) as deaths_registered_late,
    {{ sd_round('100.0 * deaths_registered_late / nullif(deaths_registered, 0)', 2) }} as late_registration_share_pct,
    province_count,
    provinces_reporting
from bases
order by geo_basis, area_code, year

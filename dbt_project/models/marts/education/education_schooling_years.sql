-- Expected and mean years of schooling for Viet Nam, one row per measure x sex x source x year.
-- Several sources measure the same thing with different methods and revisions, so the source is
-- part of the key and named on every row; they are stacked, never blended or interpolated:
--   * UNDP HDR composite indices time series (latest release, 1990-2023; total, female, male);
--   * UNDP HDR 2018 expected years of schooling as republished by Our World in Data (1990-2017);
--   * OWID's stitched mean years series (Lee-Lee 2016, Barro-Lee 2018, UNDP 2018; 1950-2017),
--     5-yearly until 1985 and annual from 1990: observation_gap_years makes the change of
--     frequency explicit instead of hiding it.
with hdr as (
    select * from {{ ref('stg_undp__hdr_composite') }}
),

hdr_labels as (
    select * from {{ ref('undp_hdr_indicators') }}
),

owid_expected as (
    select * from {{ ref('stg_owid__expected_schooling') }}
),

owid_mean as (
    select * from {{ ref('stg_owid__mean_years_schooling') }}
),

sources as (
    select *
    from (
        values
            ('undp_hdr', 'UNDP Human Development Report, composite indices time series (latest release, data to 2023)'),
            ('owid_undp_hdr_2018', 'UNDP Human Development Report 2018, via Our World in Data'),
            ('owid_lee_barro_undp', 'Lee-Lee (2016), Barro-Lee (2018) and UNDP (2018), stitched by Our World in Data')
    ) as sources (source_code, source_name)
),

measures as (
    select *
    from (
        values
            ('expected_years_of_schooling', 'Expected years of schooling', 'Số năm đi học kỳ vọng'),
            ('mean_years_of_schooling', 'Mean years of schooling of adults', 'Số năm đi học bình quân của người trưởng thành')
    ) as measures (measure_code, measure_name_en, measure_name_vi)
),

stacked as (
    select
        case when hdr.indicator_code like 'eys%' then 'expected_years_of_schooling' else 'mean_years_of_schooling' end
            as measure_code,
        hdr_labels.sex,
        'undp_hdr' as source_code,
        hdr.year,
        hdr.value
    from hdr
    inner join hdr_labels
        on hdr.indicator_code = hdr_labels.indicator_code
    where hdr.indicator_code in ('eys', 'eys_f', 'eys_m', 'mys', 'mys_f', 'mys_m')

    union all

    select 'expected_years_of_schooling', 'total', 'owid_undp_hdr_2018', year, expected_schooling_years
    from owid_expected

    union all

    select 'mean_years_of_schooling', 'total', 'owid_lee_barro_undp', year, mean_schooling_years
    from owid_mean
),

final as (
    select
        -- ids
        stacked.measure_code,
        stacked.sex,
        stacked.source_code,
        stacked.year,
        -- strings
        measures.measure_name_en,
        measures.measure_name_vi,
        sources.source_name,
        -- numerics
        stacked.value as value_years,
        stacked.year - lag(stacked.year) over (
            partition by stacked.measure_code, stacked.sex, stacked.source_code
            order by stacked.year
        ) as observation_gap_years
    from stacked
    inner join measures
        on stacked.measure_code = measures.measure_code
    inner join sources
        on stacked.source_code = sources.source_code
    where stacked.value is not null
)

select * from final
order by measure_code, source_code, sex, year

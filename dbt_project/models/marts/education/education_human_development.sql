-- UNDP Human Development Report composite indices for Viet Nam (HDI and its components, gender,
-- inequality and planetary-pressure indices, 1990-2023) and the World Bank Human Capital Index
-- (2010-2020), one row per indicator x year with a value. Labels, dimension, sex and unit of the
-- HDR codes come from the reviewable seed undp_hdr_indicators; an HDR code without a label is
-- not published (the staging relationships test warns about it). Not reported = left out.
with hdr as (
    select * from {{ ref('stg_undp__hdr_composite') }}
),

hdr_labels as (
    select * from {{ ref('undp_hdr_indicators') }}
),

hci as (
    select * from {{ ref('stg_worldbank__human_capital_index') }}
),

stacked as (
    select
        -- ids
        hdr.indicator_code,
        hdr.year,
        -- strings
        hdr_labels.indicator_name_en,
        hdr_labels.indicator_name_vi,
        hdr_labels.dimension,
        hdr_labels.sex,
        hdr_labels.unit,
        'UNDP Human Development Report, composite indices time series' as source_name,
        -- numerics
        hdr.value
    from hdr
    inner join hdr_labels
        on hdr.indicator_code = hdr_labels.indicator_code
    where hdr.country_iso3 = 'VNM'
        and hdr.value is not null

    union all

    select
        hci.indicator_id,
        hci.year,
        hci.indicator_name,
        'Chỉ số vốn nhân lực (HCI, thang 0-1)',
        'composite',
        'total',
        'index (0-1)',
        'World Bank Human Capital Project (Indicators API source 63)',
        hci.value
    from hci
    where hci.country_iso3 = 'VNM'
        and hci.value is not null
)

select
    indicator_code,
    year,
    indicator_name_en,
    indicator_name_vi,
    dimension,
    sex,
    unit,
    source_name,
    value
from stacked
order by indicator_code, year

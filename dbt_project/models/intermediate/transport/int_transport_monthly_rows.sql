-- The GSO passenger and freight transport tables of every release, one row per published item
-- row (total, domestic, international, five modes) under its measure, with the values of the
-- release's columns side by side.
--
-- A row's meaning depends on the section heading above it ("I. Vận chuyển (Nghìn HK)", "B. TRIỆU
-- TẤN.KM", ...), so each row is read under the last heading at or above it (raw_row_number keeps
-- the sheet's order within a release). Every label must be known: an unknown label, a heading in
-- an unknown unit, or a value left on a heading row after the correction below stops the build
-- naming it.
with staged as (
    select * from {{ ref('stg_gso__monthly_transport_passengers') }}
    union all
    select * from {{ ref('stg_gso__monthly_transport_freight') }}
),

labelled as (
    select
        *,
        coalesce(label_b, label_a) as label,
        {{ vn_name_key('coalesce(label_b, label_a)') }} as label_key
    from staged
),

classified as (
    select
        *,
        case
            when label_key in ('ahanhkhach', 'bhanghoa') then 'group'
            when label_key in ('phantheokhuvucvantai', 'phantheonganhvantai') then 'subheading'
            when label_key in (
                'anghinhanhkhach', 'ivanchuyennghinhk', 'btrieuhanhkhachkm', 'iiluanchuyentrieuhkkm',
                'anghintan', 'ivanchuyennghintan', 'btrieutankm', 'iiluanchuyentrieutankm'
            ) then 'section'
            when label_key in (
                'tongso', 'trongnuoc', 'ngoainuoc', 'duongsat', 'duongbien', 'duongsong',
                'duongthuynoidia', 'duongbo', 'hangkhong'
            ) then 'item'
            else {{ sd_raise_error("'int_transport_monthly_rows: unknown row label ' || label || ' in the ' || table_kind || ' table of the release of ' || cast(release_date as varchar)") }}
        end as row_kind,
        -- The measure and its unit, from the heading's own words: every release so far uses
        -- thousand passengers, million passenger-km, thousand tonnes and million tonne-km, so
        -- the factor to the published unit is 1; a heading in another unit is not listed above
        -- and stops the build instead of being mixed in.
        case
            when label_key in ('anghinhanhkhach', 'ivanchuyennghinhk') then 'passengers_carried'
            when label_key in ('btrieuhanhkhachkm', 'iiluanchuyentrieuhkkm') then 'passenger_km'
            when label_key in ('anghintan', 'ivanchuyennghintan') then 'freight_carried'
            when label_key in ('btrieutankm', 'iiluanchuyentrieutankm') then 'freight_tonne_km'
        end as section_measure
    from labelled
),

ordered as (
    select
        *,
        -- the heading row this row sits under
        max(case when row_kind = 'section' then raw_row_number end) over (
            partition by table_kind, release_date order by raw_row_number
            rows between unbounded preceding and current row
        ) as section_row,
        min(case when row_kind = 'section' then raw_row_number end) over (
            partition by table_kind, release_date
        ) as first_section_row,
        -- In the 2022 December release the freight-tonnes values sit one row above their labels
        -- (the total on "B. HÀNG HÓA", international on "Trong nước", air on "Đường bộ", nothing
        -- on "Hàng không"). The symptom is a value on the group heading, which never carries one
        -- otherwise; where it shows, the rows of that group's first section take the values of
        -- the row above. The shifted values add up (domestic + international and the five modes
        -- to the total) and rail's year index matches 2021's rail tonnes; read as labelled, road
        -- would carry 25 thousand tonnes.
        max(case when row_kind = 'group' and coalesce(month_value, year_value, ytd_value, prior_ytd_value) is not null then 1 else 0 end) over (
            partition by table_kind, release_date
        ) as values_one_row_up,
        lag(month_value) over (partition by table_kind, release_date order by raw_row_number) as prev_month_value,
        lag(month_mom_index) over (partition by table_kind, release_date order by raw_row_number) as prev_month_mom_index,
        lag(month_yoy_index) over (partition by table_kind, release_date order by raw_row_number) as prev_month_yoy_index,
        lag(year_value) over (partition by table_kind, release_date order by raw_row_number) as prev_year_value,
        lag(year_yoy_index) over (partition by table_kind, release_date order by raw_row_number) as prev_year_yoy_index,
        lag(ytd_value) over (partition by table_kind, release_date order by raw_row_number) as prev_ytd_value,
        lag(ytd_yoy_index) over (partition by table_kind, release_date order by raw_row_number) as prev_ytd_yoy_index,
        lag(prior_ytd_value) over (partition by table_kind, release_date order by raw_row_number) as prev_prior_ytd_value
    from classified
),

corrected as (
    select
        o.*,
        (o.values_one_row_up = 1 and (o.row_kind = 'group' or o.section_row = o.first_section_row)) as shifted
    from ordered as o
),

shifted_values as (
    select
        table_kind, release_date, raw_row_number, label, label_key, row_kind, section_row, shifted,
        year, month, ytd_month_to, prior_ytd_month_to,
        month_status, year_status, ytd_status, prior_ytd_status,
        case when shifted then prev_month_value else month_value end as month_value,
        case when shifted then prev_month_mom_index else month_mom_index end as month_mom_index,
        case when shifted then prev_month_yoy_index else month_yoy_index end as month_yoy_index,
        case when shifted then prev_year_value else year_value end as year_value,
        case when shifted then prev_year_yoy_index else year_yoy_index end as year_yoy_index,
        case when shifted then prev_ytd_value else ytd_value end as ytd_value,
        case when shifted then prev_ytd_yoy_index else ytd_yoy_index end as ytd_yoy_index,
        case when shifted then prev_prior_ytd_value else prior_ytd_value end as prior_ytd_value
    from corrected
),

with_section as (
    select
        r.*,
        h.section_measure as measure,
        coalesce(
            r.month_value, r.year_value, r.ytd_value, r.prior_ytd_value,
            r.month_mom_index, r.month_yoy_index, r.year_yoy_index, r.ytd_yoy_index
        ) is not null as has_values
    from shifted_values as r
    left join classified as h
        on h.table_kind = r.table_kind
        and h.release_date = r.release_date
        and h.raw_row_number = r.section_row
),

checked as (
    select
        *,
        case
            -- a total on the heading row (2020-2025) or on a "Tổng số" row (2016-2019)
            when row_kind = 'section' and has_values then 'total'
            when label_key = 'tongso' then 'total'
            when label_key = 'trongnuoc' then 'domestic'
            when label_key = 'ngoainuoc' then 'international'
            when label_key = 'duongsat' then 'rail'
            when label_key = 'duongbien' then 'sea'
            -- "Đường sông" (river) in 2016, "Đường thủy nội địa" (inland waterway) from 2017
            when label_key in ('duongsong', 'duongthuynoidia') then 'inland_waterway'
            when label_key = 'duongbo' then 'road'
            when label_key = 'hangkhong' then 'air'
        end as breakdown,
        case
            when row_kind in ('group', 'subheading') and has_values then {{ sd_raise_error("'int_transport_monthly_rows: values on the heading ' || label || ' in the ' || table_kind || ' table of the release of ' || cast(release_date as varchar) || ' (a shifted block?)'") }}
            when row_kind = 'item' and measure is null then {{ sd_raise_error("'int_transport_monthly_rows: item ' || label || ' above any measure heading in the ' || table_kind || ' table of the release of ' || cast(release_date as varchar)") }}
            when measure in ('passengers_carried', 'passenger_km') and table_kind <> 'passengers' then {{ sd_raise_error("'int_transport_monthly_rows: passenger heading in the freight table of ' || cast(release_date as varchar)") }}
            when measure in ('freight_carried', 'freight_tonne_km') and table_kind <> 'freight' then {{ sd_raise_error("'int_transport_monthly_rows: freight heading in the passenger table of ' || cast(release_date as varchar)") }}
            else 'ok'
        end as label_checked
    from with_section
)

select
    table_kind,
    release_date,
    raw_row_number,
    label as label_published,
    measure,
    breakdown,
    case
        when breakdown = 'total' then 'total'
        when breakdown in ('domestic', 'international') then 'area'
        else 'mode'
    end as breakdown_type,
    shifted as values_moved_from_row_above,
    year,
    month,
    ytd_month_to,
    prior_ytd_month_to,
    month_status,
    year_status,
    ytd_status,
    prior_ytd_status,
    month_value,
    month_mom_index,
    month_yoy_index,
    year_value,
    year_yoy_index,
    ytd_value,
    ytd_yoy_index,
    prior_ytd_value
from checked
where breakdown is not null and label_checked = 'ok'

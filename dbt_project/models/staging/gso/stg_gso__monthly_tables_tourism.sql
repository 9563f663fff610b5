-- GSO table "Khách quốc tế đến Việt Nam" (international visitor arrivals by mode of arrival and
-- source market) from the December releases of the monthly statistical tables, stacked by the
-- loader (one release per workbook, column names declared per release in the registry because
-- the sheet, the header rows and the label column move between releases). One row per table row
-- with a label; the two heading rows are dropped after they have served to classify the rows.
with source as (
    select * from {{ source('gso', 'monthly_tables_tourism') }}
),

renamed as (
    select
        -- ids
        {{ sd_try_cast('release', 'integer') }} as release_year,
        {{ sd_try_cast('reference_year', 'integer') }} as year,
        _row_number as source_row_number,
        -- strings: the label sits in column B (group headings and the total in A) in 2016, 2017,
        -- 2023 and 2024, everything in column A in 2019-2022 (item_label there); trailing spaces
        -- ("Một số nước khác ") are not part of the name
        {{ sd_nfc("trim(coalesce(nullif(trim(item_label), ''), group_label))") }} as label_published,
        unit as unit_published,
        -- numerics: the full-year column ("Ước tính năm ..." / "Năm ...") and its % of the year before
        {{ gso_number('year_total') }} as year_total_published,
        {{ gso_number('year_yoy_pct') }} as year_yoy_pct_published,
        _loaded_at
    from source
),

ordered as (
    select
        *,
        -- position of the row in its release's table (the loader keeps the sheet's order)
        row_number() over (partition by release_year order by source_row_number) as row_in_table
    from renamed
    where label_published is not null and label_published <> ''
),

headings as (
    -- "Phân theo phương tiện đến" opens the modes, "Phân theo một số nước và vùng lãnh thổ" the
    -- continents and markets; rows are classified by where they stand relative to these headings
    select
        release_year,
        max(case when label_published = 'Phân theo phương tiện đến' then row_in_table end) as modes_heading_row,
        max(case when label_published = 'Phân theo một số nước và vùng lãnh thổ' then row_in_table end) as markets_heading_row
    from ordered
    group by release_year
),

classified as (
    select
        ordered.*,
        case
            when ordered.label_published in ('Phân theo phương tiện đến', 'Phân theo một số nước và vùng lãnh thổ')
                then 'heading'
            when ordered.label_published = 'TỔNG SỐ' then 'total'
            when ordered.row_in_table > headings.modes_heading_row
                and ordered.row_in_table < headings.markets_heading_row then 'mode'
            when ordered.row_in_table > headings.markets_heading_row
                and ordered.label_published in ('Châu Á', 'Châu Mỹ', 'Châu Âu', 'Châu Úc', 'Châu Phi') then 'continent'
            -- the remainder of a continent: "Một số nước khác (thuộc châu ...)", "Nước, vùng lãnh thổ khác ..."
            when ordered.row_in_table > headings.markets_heading_row
                and (ordered.label_published like 'Một số nước khác%' or ordered.label_published like 'Nước, vùng lãnh thổ khác%')
                then 'other'
            when ordered.row_in_table > headings.markets_heading_row then 'market'
        end as item_kind
    from ordered
    left join headings
        on ordered.release_year = headings.release_year
),

with_continent_row as (
    select
        *,
        -- the continent a market or remainder row is listed under: the last continent row above it
        max(case when item_kind = 'continent' then row_in_table end) over (
            partition by release_year order by row_in_table rows between unbounded preceding and current row
        ) as continent_row
    from classified
),

final as (
    select
        rows_.release_year,
        rows_.year,
        rows_.source_row_number,
        rows_.row_in_table,
        rows_.item_kind,
        rows_.label_published,
        case when rows_.item_kind in ('market', 'other') then continents.label_published end as continent_name_vi,
        rows_.unit_published,
        rows_.year_total_published,
        -- persons: thousand-arrival releases (2016-2019) x 1000; 2024's fractional persons
        -- (17583900.6) are rounded to whole arrivals. An unknown unit gives NULL (not_null test).
        cast({{ sd_round("rows_.year_total_published * case rows_.unit_published when 'thousand_arrivals' then 1000 when 'arrivals' then 1 end", 0) }} as bigint) as arrivals,
        rows_.year_yoy_pct_published,
        -- the % as published; the binary residue of GSO's spreadsheet division (139.5278134366742) is
        -- rounded to 2 decimals, values published with one decimal (131.7) are unchanged
        {{ sd_round('rows_.year_yoy_pct_published', 2) }} as year_yoy_pct,
        rows_._loaded_at
    from with_continent_row as rows_
    left join with_continent_row as continents
        on rows_.release_year = continents.release_year
        and rows_.continent_row = continents.row_in_table
    where rows_.item_kind <> 'heading'
)

select * from final

-- GSO December-release arrivals by mode and source market, every row named through the seed
-- gso_tourism_item_names (one Vietnamese name per item across releases, English name), and the
-- table's own sums recomputed: the three modes against the total, the five continents against the
-- total, the markets and remainder row of a continent against the continent. A label missing from
-- the seed keeps NULL names here; the mart stops the build on it.
with arrivals as (
    select * from {{ ref('stg_gso__monthly_tables_tourism') }}
),

names as (
    select * from {{ ref('gso_tourism_item_names') }}
),

named as (
    select
        arrivals.*,
        names.item_name_vi,
        names.item_name_en
    from arrivals
    left join names
        on arrivals.item_kind = names.item_kind
        and arrivals.label_published = names.label_published
        and coalesce(arrivals.continent_name_vi, '') = coalesce(names.continent_name_vi, '')
),

mode_sums as (
    select year, cast(sum(arrivals) as bigint) as modes_arrivals
    from named
    where item_kind = 'mode'
    group by year
),

continent_sums as (
    select year, cast(sum(arrivals) as bigint) as continents_arrivals
    from named
    where item_kind = 'continent'
    group by year
),

market_sums as (
    -- markets listed under a continent plus its remainder row; Châu Phi has none (no row here)
    select year, continent_name_vi, cast(sum(arrivals) as bigint) as parts_arrivals
    from named
    where item_kind in ('market', 'other')
    group by year, continent_name_vi
),

final as (
    select
        named.*,
        -- sums of bigint are 128-bit on DuckDB; the gaps are small whole numbers
        case when named.item_kind = 'total' then named.arrivals - mode_sums.modes_arrivals end as modes_sum_gap_arrivals,
        case
            when named.item_kind = 'total' then named.arrivals - continent_sums.continents_arrivals
            when named.item_kind = 'continent' then named.arrivals - market_sums.parts_arrivals
        end as parts_sum_gap_arrivals
    from named
    left join mode_sums
        on named.year = mode_sums.year
    left join continent_sums
        on named.year = continent_sums.year
    left join market_sums
        on named.item_kind = 'continent'
        and named.year = market_sums.year
        and named.label_published = market_sums.continent_name_vi
)

select * from final

-- Inbound arrivals of overnight tourists to Viet Nam (UNWTO via Our World in Data), one row per
-- year the source reports, after merging the duplicated source rows. The World Bank WDI count
-- of international arrivals (ST.INT.ARVL, from the Kaggle compilation) is set beside it for the
-- same year: a different measure (WDI falls back to all visitors, same-day included, where a
-- tourist count is missing, and the values are revised), so the two are never spliced.
with arrivals as (
    select * from {{ ref('int_inbound_arrivals_deduplicated') }}
),

wdi as (
    select * from {{ ref('stg_kaggle__tourism_economy') }}
    where country_iso3 = 'VNM'
),

final as (
    select
        -- dates
        arrivals.year,
        -- numerics
        arrivals.tourist_arrivals as unwto_tourist_arrivals,
        wdi.international_arrivals as wdi_international_arrivals,
        -- duplicate check of the source
        arrivals.source_row_count,
        arrivals.source_values_agree
    from arrivals
    left join wdi
        on wdi.year = arrivals.year
)

select * from final
order by year

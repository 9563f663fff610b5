-- Top 10 partner countries for Viet Nam's agricultural and food exports in the latest year.
-- Caveat: the source keeps only partners with >= 5% of an item's exports, so smaller partners'
-- flows are missing and each value is a lower bound.
with latest as (
    select max(year) as year
    from curated.trade_agri_trade_by_partner
    where flow = 'export'
),

by_partner as (
    select
        t.year,
        t.partner_iso3,
        t.partner_name,
        sum(t.value_usd) as export_value_usd,
        count(*) as items_exported
    from curated.trade_agri_trade_by_partner as t
    inner join latest on latest.year = t.year
    where t.flow = 'export'
    group by t.year, t.partner_iso3, t.partner_name
)

select
    rank() over (order by export_value_usd desc) as rank,
    year,
    partner_iso3,
    partner_name,
    round(export_value_usd / 1e6, 1) as export_value_usd_million,
    round(100 * export_value_usd / sum(export_value_usd) over (), 1) as share_of_listed_exports_pct,
    items_exported
from by_partner
order by export_value_usd desc
limit 10

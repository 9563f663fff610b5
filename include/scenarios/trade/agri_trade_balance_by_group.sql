-- Agricultural trade balance by product group in the latest year: exports, imports and balance
-- (US$ million) over the listed partner flows (partners with >= 5% of an item's trade).
with latest as (
    select max(year) as year from curated.trade_agri_trade_by_partner
),

by_group as (
    select
        t.year,
        t.item_group,
        sum(case when t.flow = 'export' then t.value_usd else 0 end) as exports_usd,
        sum(case when t.flow = 'import' then t.value_usd else 0 end) as imports_usd
    from curated.trade_agri_trade_by_partner as t
    inner join latest on latest.year = t.year
    group by t.year, t.item_group
)

select
    year,
    item_group,
    round(exports_usd / 1e6, 1) as exports_usd_million,
    round(imports_usd / 1e6, 1) as imports_usd_million,
    round((exports_usd - imports_usd) / 1e6, 1) as balance_usd_million,
    case when exports_usd >= imports_usd then 'net exporter' else 'net importer' end as position
from by_group
order by exports_usd - imports_usd desc

-- Plastic waste trade of Viet Nam before and after China's import ban (announced July 2017, in
-- force from January 2018): imports, exports, net exports and Viet Nam's share of world imports.
select
    year,
    case when year >= 2018 then 'after ban (2018+)' else 'before ban' end as period,
    round(imports_t) as imports_t,
    round(exports_t) as exports_t,
    round(net_exports_t) as net_exports_t,
    case when net_exports_t < 0 then 'net importer' else 'net exporter' end as position,
    round(share_global_imports_pct, 2) as share_global_imports_pct
from curated.trade_plastic_waste
order by year

-- Pig herd and pork output per year: FAOSTAT pig stocks next to pig meat production, the tonnes of
-- pork produced per 1,000 pigs in stock, and the year-on-year change of the herd (the 2019 African
-- swine fever outbreak shows as a sharp fall).
with pigs as (
    select year, stock_count
    from curated.agri_livestock_stocks
    where animal = 'Swine / pigs'
      and stock_unit = 'head'
),

pork as (
    select year, production_t
    from curated.agri_crop_production
    where item_name = 'Meat of pig with the bone, fresh or chilled'
)

select
    pigs.year,
    pigs.stock_count as pig_stock_head,
    round(100.0 * pigs.stock_count / lag(pigs.stock_count) over (order by pigs.year) - 100, 1) as pig_stock_change_pct,
    round(pork.production_t) as pork_production_t,
    round(1000.0 * pork.production_t / nullif(pigs.stock_count, 0), 1) as pork_t_per_1000_head
from pigs
inner join pork
    on pork.year = pigs.year
order by pigs.year

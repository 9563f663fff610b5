-- FAOSTAT QCL, Viet Nam: live animal stocks per animal x year. Staging normalised
-- "1000 An" (chickens, ducks) to heads; bees are counted by FAOSTAT in beehives (unit "No").
with stocks as (
    select * from {{ ref('stg_faostat__qcl') }}
    where measure in ('stocks_head', 'stocks_number')
)

select
    -- ids
    item_name as animal,
    year,
    -- numerics
    value as stock_count,
    -- strings
    case measure
        when 'stocks_head' then 'head'
        when 'stocks_number' then 'beehive'
    end as stock_unit
from stocks
where value is not null
order by animal, year

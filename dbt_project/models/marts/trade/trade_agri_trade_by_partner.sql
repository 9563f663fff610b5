-- Viet Nam's agricultural and food trade by partner (FAOSTAT Detailed Trade Matrix, as reported
-- by Viet Nam), one row per partner x item x flow x year, value in US dollars (staging applied
-- the "1000 USD" scale factor). The matrix is sparse and published sparse: a partner x item x
-- year that is not in the source is absent, never a zero row. The upstream extract keeps only
-- partners with at least 5% of Viet Nam's trade in the item, flow and year, so sums over
-- partners understate the total.
with trade as (
    select * from {{ ref('stg_faostat__trade_matrix') }}
)

select
    -- ids
    partner_iso3,
    item_name,
    flow,
    year,
    -- strings
    partner_name,
    item_group,
    -- numerics
    value_usd
from trade
where value_usd is not null
order by year, flow, item_name, partner_iso3

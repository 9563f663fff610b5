-- Inbound arrivals against the 2019 peak and receipts per arrival, one row per year with arrivals.
-- Receipts per arrival only where both are reported (2003-2020); 2021-2023 are not reported
-- in the source, so the recovery after the 2020 collapse is not visible here.
with economy as (
    select * from curated.tourism_economy_indicators
    where international_arrivals is not null
),

peak as (
    select international_arrivals as arrivals_2019
    from economy
    where year = 2019
)

select
    economy.year,
    economy.international_arrivals,
    round(100.0 * economy.international_arrivals / peak.arrivals_2019, 1) as arrivals_pct_of_2019,
    round(
        100.0 * (economy.international_arrivals - lag(economy.international_arrivals) over (order by economy.year))
        / lag(economy.international_arrivals) over (order by economy.year),
        1
    ) as arrivals_change_pct,
    economy.tourism_receipts_usd,
    round(economy.tourism_receipts_usd * 1.0 / economy.international_arrivals, 0) as receipts_per_arrival_usd
from economy
cross join peak
order by economy.year

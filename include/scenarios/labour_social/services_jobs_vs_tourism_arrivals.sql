-- Services share of employment beside international arrivals, for the years both are reported
-- (arrivals 1999-2020), with year-on-year changes.
with services as (
    select year, employment_share_pct as services_pct
    from curated.labour_employment_by_sector
    where sector = 'services'
),

arrivals as (
    select year, international_arrivals
    from curated.tourism_economy_indicators
    where international_arrivals is not null
)

select
    services.year,
    round(services.services_pct, 2) as services_pct,
    round(services.services_pct - lag(services.services_pct) over (order by services.year), 2) as services_change_pp,
    arrivals.international_arrivals,
    round(
        100.0 * (arrivals.international_arrivals - lag(arrivals.international_arrivals) over (order by services.year))
        / lag(arrivals.international_arrivals) over (order by services.year),
        1
    ) as arrivals_change_pct
from services
inner join arrivals
    on arrivals.year = services.year
order by services.year

-- Years where both the UNWTO overnight-tourist count and the WDI international-arrivals count
-- exist: how far apart the two definitions are.
select
    year,
    unwto_tourist_arrivals,
    wdi_international_arrivals,
    wdi_international_arrivals - unwto_tourist_arrivals as gap_arrivals,
    round(100.0 * (wdi_international_arrivals - unwto_tourist_arrivals) / unwto_tourist_arrivals, 1) as gap_pct
from curated.tourism_inbound_arrivals
where wdi_international_arrivals is not null
order by year

-- Aquaculture vs capture: tonnes (live weight) per year and the aquaculture share of total
-- fisheries production, with the aquaculture environments split out. Counted-only records
-- (quantity_number, e.g. crocodiles) have no tonnage and are left out.
with yearly as (
    select
        year,
        sum(case when production_source = 'capture' then quantity_t_live_weight else 0 end) as capture_t,
        sum(case when production_source = 'aquaculture' then quantity_t_live_weight else 0 end) as aquaculture_t,
        sum(case when aquaculture_environment = 'freshwater' then quantity_t_live_weight else 0 end) as aquaculture_freshwater_t,
        sum(case when aquaculture_environment = 'brackishwater' then quantity_t_live_weight else 0 end) as aquaculture_brackishwater_t,
        sum(case when aquaculture_environment = 'marine' then quantity_t_live_weight else 0 end) as aquaculture_marine_t
    from curated.agri_fisheries_production
    where quantity_t_live_weight is not null
    group by year
)

select
    year,
    round(capture_t) as capture_t,
    round(aquaculture_t) as aquaculture_t,
    round(aquaculture_freshwater_t) as aquaculture_freshwater_t,
    round(aquaculture_brackishwater_t) as aquaculture_brackishwater_t,
    round(aquaculture_marine_t) as aquaculture_marine_t,
    round(100.0 * aquaculture_t / nullif(capture_t + aquaculture_t, 0), 1) as aquaculture_share_pct,
    aquaculture_t > capture_t as aquaculture_exceeds_capture
from yearly
order by year

-- FAO FishStat, Viet Nam: capture and aquaculture production per year x production type x
-- species group x ISSCAAP division. Staging dropped the World and regional rows and the
-- per-group sums (equal to the sum of these detail rows). Quantities in tonnes live weight;
-- the few series FAO counts in animals (crocodiles) are in a separate number column.
with fishstat as (
    select * from {{ ref('stg_faostat__fishstat') }}
),

pivoted as (
    select
        year,
        production_type,
        production_source,
        aquaculture_environment,
        species_major_group,
        isscaap_division,
        cpc_group,
        max(case when measure = 'quantity_t_live_weight' then value end) as quantity_t_live_weight,
        max(case when measure = 'quantity_number' then value end) as quantity_number
    from fishstat
    group by
        year, production_type, production_source, aquaculture_environment,
        species_major_group, isscaap_division, cpc_group
)

select
    -- ids
    year,
    production_type,
    species_major_group,
    isscaap_division,
    -- strings
    production_source,
    aquaculture_environment,
    cpc_group,
    -- numerics
    quantity_t_live_weight,
    quantity_number
from pivoted
order by year, production_type, species_major_group, isscaap_division

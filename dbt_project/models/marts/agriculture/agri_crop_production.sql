-- FAOSTAT QCL, Viet Nam: one row per item x year with production (t), area harvested (ha) and
-- yield (kg/ha) side by side. Staging already removed the CPC-group aggregate rows (so summing
-- production over items does not double count) and normalised units. Not published here:
-- livestock stocks (see agri_livestock_stocks), egg counts (1000 No) and eggs per hen (No/An).
with qcl as (
    select * from {{ ref('stg_faostat__qcl') }}
    where measure in ('production_t', 'area_harvested_ha', 'yield_kg_per_ha')
),

pivoted as (
    select
        item_name,
        item_group,
        year,
        max(case when measure = 'production_t' then value end) as production_t,
        max(case when measure = 'area_harvested_ha' then value end) as area_harvested_ha,
        max(case when measure = 'yield_kg_per_ha' then value end) as yield_kg_per_ha
    from qcl
    group by item_name, item_group, year
)

select
    -- ids
    item_name,
    year,
    -- strings
    item_group,
    -- numerics
    production_t,
    area_harvested_ha,
    yield_kg_per_ha
from pivoted
-- items x years that FAOSTAT reports only as "NA" carry no information
where coalesce(production_t, area_harvested_ha, yield_kg_per_ha) is not null
order by item_name, year

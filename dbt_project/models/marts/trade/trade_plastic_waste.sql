-- Viet Nam's plastic waste trade (UN Comtrade HS 3915 via Our World in Data), one row per year:
-- exports, imports and net exports in tonnes and kilograms per person, and Viet Nam's share of
-- the world's reported exports and imports (%). Net exports = exports - imports, negative when
-- Viet Nam imports more (kept as published). The re-export and re-import columns are empty for
-- Viet Nam and not published; 2012 is missing upstream and stays missing.
with plastic as (
    select * from {{ ref('stg_owid__plastic_waste_trade') }}
)

select
    -- ids
    year,
    -- numerics: tonnes
    exports_t,
    imports_t,
    net_exports_t,
    -- numerics: kilograms per person
    exports_kg_per_capita,
    imports_kg_per_capita,
    net_exports_kg_per_capita,
    -- numerics: share of the world total (%)
    share_global_exports_pct,
    share_global_imports_pct
from plastic
where coalesce(exports_t, imports_t) is not null
order by year

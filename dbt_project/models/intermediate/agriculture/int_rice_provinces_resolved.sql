-- GSO provincial rice statistics 2014 and 2017 stacked (the 2014/2017 header drift is already
-- harmonised in staging) and their unaccented English province names resolved to pre-2025 GSO
-- codes through int_province_aliases. Unresolved names keep a NULL province_code here so they
-- can be inspected; the mart agri_rice_province refuses to build while any remain.
with rice as (
    select * from {{ ref('stg_gso__rice_2014') }}
    union all
    select * from {{ ref('stg_gso__rice_2017') }}
),

aliases as (
    select * from {{ ref('int_province_aliases') }}
),

resolved as (
    select
        -- ids
        aliases.province_code,
        -- strings
        rice.province_name_raw,
        -- numerics
        rice.total_area_ha,
        rice.cultivated_area_ha,
        rice.production_t,
        rice.yield_t_per_ha,
        -- dates
        rice.year
    from rice
    left join aliases
        on {{ vn_name_key('rice.province_name_raw') }} = aliases.name_key
)

select * from resolved

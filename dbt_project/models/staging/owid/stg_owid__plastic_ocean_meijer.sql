-- Plastic ocean pollution (Meijer et al. 2021, via OWID), Viet Nam, a single row (2015).
-- Handled here: the headers' units ("metric tons year-1", "kg per year") moved into the column
-- names; shares are percent (share_of_mismanaged_plastic_waste_emitted_to_ocean = 2.54 equals
-- 28,221 / 1,112,790 t). The "probability of plastic being emitted to ocean" column has no unit
-- in the file or its datapackage and is kept as published (probability_emitted_to_ocean_raw).
with source as (
    select * from {{ source('owid', 'plastic_ocean_meijer') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics: tonnes per year and kg per person per year
        {{ sd_try_cast("nullif(trim(mismanaged_plastic_waste_metric_tons_year_1), '')", 'double') }} as mismanaged_plastic_waste_t_per_year,
        {{ sd_try_cast("nullif(trim(mismanaged_waste_emitted_to_the_ocean_metric_tons_year_1), '')", 'double') }} as plastic_emitted_to_ocean_t_per_year,
        {{ sd_try_cast("nullif(trim(mismanaged_plastic_waste_per_capita_kg_per_year), '')", 'double') }} as mismanaged_plastic_waste_kg_per_capita_per_year,
        {{ sd_try_cast("nullif(trim(mismanaged_plastic_waste_to_ocean_per_capita_kg_per_year), '')", 'double') }} as plastic_emitted_to_ocean_kg_per_capita_per_year,
        -- numerics: percent
        {{ sd_try_cast("nullif(trim(share_of_mismanaged_plastic_waste_emitted_to_ocean), '')", 'double') }} as share_of_mismanaged_waste_emitted_to_ocean_pct,
        {{ sd_try_cast("nullif(trim(share_of_global_mismanaged_plastic_waste), '')", 'double') }} as share_of_global_mismanaged_plastic_waste_pct,
        {{ sd_try_cast("nullif(trim(share_of_global_plastics_emitted_to_ocean), '')", 'double') }} as share_of_global_plastic_emitted_to_ocean_pct,
        -- numerics: unit not stated
        {{ sd_try_cast("nullif(trim(probability_of_plastic_being_emitted_to_ocean), '')", 'double') }} as probability_emitted_to_ocean_raw,
        -- dates
        {{ sd_try_cast('year', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

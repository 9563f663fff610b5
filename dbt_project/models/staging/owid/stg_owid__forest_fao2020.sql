-- FAO Forest Resources Assessment 2020 (via OWID), Viet Nam, one row per year. Handled here:
-- empty cells -> NULL; units made explicit in the column names (FAO FRA reports areas in
-- thousand hectares, "kha"; shares in percent). The flows (afforestation, deforestation,
-- expansion, net change) are ANNUAL AVERAGES over the FRA period that starts in the row's year
-- (1990-2000, 2000-2010, 2010-2015, 2015-2020): checked, the 1990 net change 240.81 equals
-- (forest area 2000 - forest area 1990) / 10. Forest area between reporting years is FAO's
-- linear interpolation; forest cover before 1990 comes from OWID's historical sources.
with source as (
    select * from {{ source('owid', 'forest_fao2020') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics: stock (thousand hectares) and cover (percent of land area)
        {{ sd_try_cast("nullif(trim(forest_area), '')", 'double') }} as forest_area_kha,
        {{ sd_try_cast("nullif(trim(forest_cover), '')", 'double') }} as forest_cover_pct,
        -- numerics: flows, annual average over the FRA period (thousand hectares per year)
        {{ sd_try_cast("nullif(trim(afforestation), '')", 'double') }} as afforestation_kha_per_year,
        {{ sd_try_cast("nullif(trim(deforestation), '')", 'double') }} as deforestation_kha_per_year,
        {{ sd_try_cast("nullif(trim(forest_expansion), '')", 'double') }} as forest_expansion_kha_per_year,
        {{ sd_try_cast("nullif(trim(natural_forest_expansion), '')", 'double') }} as natural_forest_expansion_kha_per_year,
        {{ sd_try_cast("nullif(trim(annual_net_change_in_forest_area), '')", 'double') }} as net_change_kha_per_year,
        -- numerics: flows as a share of forest area (percent)
        {{ sd_try_cast("nullif(trim(conversion_as_share_of_forest_area), '')", 'double') }} as conversion_pct_of_forest_area,
        {{ sd_try_cast("nullif(trim(deforestation_as_share_of_forest_area), '')", 'double') }} as deforestation_pct_of_forest_area,
        {{ sd_try_cast("nullif(trim(expansion_as_share_of_forest_area), '')", 'double') }} as expansion_pct_of_forest_area,
        -- numerics: shares of the global / regional totals (percent)
        {{ sd_try_cast("nullif(trim(share_of_global_forest_area), '')", 'double') }} as share_of_global_forest_area_pct,
        {{ sd_try_cast("nullif(trim(share_of_global_deforestation), '')", 'double') }} as share_of_global_deforestation_pct,
        {{ sd_try_cast("nullif(trim(share_of_global_forest_expansion), '')", 'double') }} as share_of_global_forest_expansion_pct,
        {{ sd_try_cast("nullif(trim(share_of_regional_forest_area), '')", 'double') }} as share_of_regional_forest_area_pct,
        {{ sd_try_cast("nullif(trim(share_of_regional_deforestation), '')", 'double') }} as share_of_regional_deforestation_pct,
        -- dates
        {{ sd_try_cast('year', 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

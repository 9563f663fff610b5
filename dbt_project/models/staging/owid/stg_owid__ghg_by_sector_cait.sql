-- Climate Watch CAIT 2021 GHG emissions by sector (via OWID), Viet Nam, unpivoted from one wide
-- row per year to one row per year x sector, with the unit in the column names: each sector's
-- total in million tonnes CO2-equivalent and its "(per capita)" twin in tonnes CO2-equivalent per
-- person (OWID's dataset units; the file states neither).
-- Each sector's pair of columns is unpivoted together (sd_unpivot); as with DuckDB's UNPIVOT, a
-- year whose total or per-capita cell is empty for a sector has no row for that sector.
with source as (
    select * from {{ source('owid', 'ghg_by_sector_cait') }}
),

unpivoted as (
    {{ sd_unpivot(
        'source',
        ids=['entity', 'year', '_loaded_at'],
        values=[
            ('agriculture', ['agriculture', 'agriculture_per_capita']),
            ('aviation_and_shipping', ['aviation_and_shipping', 'aviation_and_shipping_per_capita']),
            ('buildings', ['buildings', 'buildings_per_capita']),
            ('electricity_and_heat', ['electricity_and_heat', 'electricity_and_heat_per_capita']),
            ('energy', ['energy', 'energy_per_capita']),
            ('fugitive_emissions', ['fugitive_emissions', 'fugitive_emissions_per_capita']),
            ('industry', ['industry', 'industry_per_capita']),
            ('land_use_change_and_forestry', ['land_use_change_and_forestry', 'land_use_change_and_forestry_per_capita']),
            ('manufacturing_and_construction', ['manufacturing_and_construction', 'manufacturing_and_construction_per_capita']),
            ('other_fuel_combustion', ['other_fuel_combustion', 'other_fuel_combustion_per_capita']),
            ('total_excluding_lucf', ['total_excluding_lucf', 'total_excluding_lucf_per_capita']),
            ('total_including_lucf', ['total_including_lucf', 'total_including_lucf_per_capita']),
            ('transport', ['transport', 'transport_per_capita']),
            ('waste', ['waste', 'waste_per_capita']),
        ],
        name_column='sector_code',
        value_columns=['emissions_text', 'emissions_per_capita_text'],
    ) }}
),

renamed as (
    select
        -- ids
        sector_code,
        -- strings
        nullif(trim(entity), '') as entity_name,
        -- numerics
        {{ sd_try_cast("nullif(trim(emissions_text), '')", 'double') }} as emissions_mt_co2e,
        {{ sd_try_cast("nullif(trim(emissions_per_capita_text), '')", 'double') }} as emissions_t_co2e_per_capita,
        -- dates
        {{ sd_try_cast('year', 'integer') }} as year,
        _loaded_at
    from unpivoted
)

select * from renamed

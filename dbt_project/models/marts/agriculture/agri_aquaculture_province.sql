-- Aquaculture production by province and year (GSO, 2013-2018) on both province bases: the 63
-- pre-2025 provinces as published and the 34 provincial units in force since 1 July 2025, whose
-- production is the sum over their former provinces (macro province_bases; NULL unless every one
-- of them reports).
-- The source carries two keys for each province, an unpadded GSO code (padded upstream) and an
-- unaccented English name: province_code_name_checked stops the build, naming code and name, when
-- the code is no pre-2025 province, the name resolves to none (int_province_aliases), or the name
-- resolves to another province than the code.
with published as (
    select * from {{ province_code_name_checked(
        ref('int_aquaculture_provinces_unpivoted'), 'agri_aquaculture_province', ['year', 'production_t']
    ) }} as checked_rows  -- PostgreSQL needs an alias on a subquery in FROM
),

bases as (
    select * from {{ province_bases(
        '(select province_code, year, production_t as aquaculture_production_t from published)',
        by=['year'],
        sums=['aquaculture_production_t'],
    ) }} as both_bases
)

select
    -- ids
    geo_basis,
    area_code,
    year,
    -- strings
    area_name_vi,
    unit_2025_code,
    unit_2025_name_vi,
    -- numerics
    aquaculture_production_t,
    province_count,
    provinces_reporting
from bases
order by geo_basis, area_code, year

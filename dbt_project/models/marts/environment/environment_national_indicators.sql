-- National environment indicators of Viet Nam in one long table, one row per country x indicator x
-- year with a reported value, each with its unit, English and Vietnamese names, topic and source:
--   * World Bank WDI (Indicators API): forest area %, energy use per capita, renewable energy share;
--   * PM2.5 mean annual exposure (World Bank, via OWID);
--   * FAO Forest Resources Assessment 2020 (via OWID): forest area, cover, flows and shares;
--   * mismanaged plastic waste and ocean emissions (Meijer et al. 2021, via OWID), 2015;
--   * FAOSTAT emissions intensities (per capita by IPCC sector, per value of agricultural output,
--     per hectare of agricultural land);
--   * the renewable energy share also for the other ASEAN member states (WDI bulk CSV), the only
--     indicator with countries other than Viet Nam.
-- Indicator codes are the WDI codes where one exists, otherwise a code of this dataset
-- "<SOURCE>.<MEASURE>". Years a source does not report are absent, never zero-filled.
-- The archived WDI series EN.ATM.CO2E.PC is deliberately not included: the API reports it as
-- archived (error 175) and the archive file's values (USA 1960 = 1588, VNM 1970 = 66) cannot be
-- metric tons per capita, so their unit is unknown.
with wb_viet_nam as (
    select indicator_id as indicator_code, year, value
    from {{ ref('stg_worldbank__forest_area_share') }}
    where country_iso3 = 'VNM' and value is not null
    union all
    select indicator_id, year, value
    from {{ ref('stg_worldbank__energy_use_per_capita') }}
    where country_iso3 = 'VNM' and value is not null
    union all
    select 'EN.ATM.PM25.MC.M3', year, pm25_mean_annual_exposure_ugm3
    from {{ ref('stg_owid__pm25_exposure') }}
    where entity_name = 'Vietnam' and pm25_mean_annual_exposure_ugm3 is not null
),

-- every measure column of the two OWID tables (all but the name, load time and year), long
forest_long as (
    {{ sd_unpivot(
        "(select * from " ~ ref('stg_owid__forest_fao2020') ~ " where entity_name = 'Vietnam')",
        ids=['year'],
        values=sd_columns_matching(ref('stg_owid__forest_fao2020'), except=['entity_name', '_loaded_at', 'year']),
        name_column='measure',
        value_columns=['value'],
    ) }}
),

plastic_long as (
    {{ sd_unpivot(
        "(select * from " ~ ref('stg_owid__plastic_ocean_meijer') ~ " where entity_name = 'Vietnam')",
        ids=['year'],
        values=sd_columns_matching(
            ref('stg_owid__plastic_ocean_meijer'),
            except=['entity_name', '_loaded_at', 'probability_emitted_to_ocean_raw', 'year'],
        ),
        name_column='measure',
        value_columns=['value'],
    ) }}
),

-- Labels of the non-FAOSTAT series (Vietnamese names are this dataset's translations).
-- topic: forest, energy, air, waste (FAOSTAT rows: emissions).
labels as (
    select *
    from (
        values
            -- World Bank WDI
            ('AG.LND.FRST.ZS', 'forest', 'World Bank WDI', 'Forest area (% of land area)', 'Tỷ lệ diện tích rừng so với diện tích đất (%)', '% of land area'),
            ('EG.USE.PCAP.KG.OE', 'energy', 'World Bank WDI', 'Energy use (kg of oil equivalent per capita)', 'Tiêu thụ năng lượng bình quân đầu người (kg dầu quy đổi)', 'kg of oil equivalent per capita'),
            ('EG.FEC.RNEW.ZS', 'energy', 'World Bank WDI', 'Renewable energy consumption (% of total final energy consumption)', 'Tỷ trọng năng lượng tái tạo trong tổng tiêu thụ năng lượng cuối cùng (%)', '% of total final energy consumption'),
            ('EN.ATM.PM25.MC.M3', 'air', 'World Bank WDI via Our World in Data', 'PM2.5 air pollution, population-weighted mean annual exposure', 'Mức phơi nhiễm bụi mịn PM2.5 trung bình năm (bình quân theo dân số)', 'µg/m³'),
            -- FAO Forest Resources Assessment 2020 via OWID
            ('FRA2020.FOREST_AREA', 'forest', 'FAO FRA 2020 via Our World in Data', 'Forest area', 'Diện tích rừng', 'thousand ha'),
            ('FRA2020.FOREST_COVER', 'forest', 'FAO FRA 2020 via Our World in Data', 'Forest cover (historical estimates before 1990)', 'Độ che phủ rừng (trước 1990 là số ước tính lịch sử)', '% of land area'),
            ('FRA2020.AFFORESTATION', 'forest', 'FAO FRA 2020 via Our World in Data', 'Afforestation, annual average over the FRA period starting in the year', 'Trồng rừng mới, bình quân năm của giai đoạn FRA bắt đầu từ năm này', 'thousand ha per year'),
            ('FRA2020.DEFORESTATION', 'forest', 'FAO FRA 2020 via Our World in Data', 'Deforestation, annual average over the FRA period starting in the year', 'Mất rừng (chuyển rừng sang mục đích khác), bình quân năm của giai đoạn FRA', 'thousand ha per year'),
            ('FRA2020.FOREST_EXPANSION', 'forest', 'FAO FRA 2020 via Our World in Data', 'Forest expansion, annual average over the FRA period starting in the year', 'Mở rộng diện tích rừng, bình quân năm của giai đoạn FRA', 'thousand ha per year'),
            ('FRA2020.NATURAL_EXPANSION', 'forest', 'FAO FRA 2020 via Our World in Data', 'Natural expansion of forest, annual average over the FRA period starting in the year', 'Rừng mở rộng tự nhiên, bình quân năm của giai đoạn FRA', 'thousand ha per year'),
            ('FRA2020.NET_CHANGE', 'forest', 'FAO FRA 2020 via Our World in Data', 'Net change in forest area, annual average over the FRA period starting in the year', 'Thay đổi ròng diện tích rừng, bình quân năm của giai đoạn FRA', 'thousand ha per year'),
            ('FRA2020.CONVERSION_PCT', 'forest', 'FAO FRA 2020 via Our World in Data', 'Forest conversion as a share of forest area', 'Tỷ lệ rừng bị chuyển đổi so với diện tích rừng', '% of forest area'),
            ('FRA2020.DEFORESTATION_PCT', 'forest', 'FAO FRA 2020 via Our World in Data', 'Deforestation as a share of forest area', 'Tỷ lệ mất rừng so với diện tích rừng', '% of forest area'),
            ('FRA2020.EXPANSION_PCT', 'forest', 'FAO FRA 2020 via Our World in Data', 'Forest expansion as a share of forest area', 'Tỷ lệ mở rộng rừng so với diện tích rừng', '% of forest area'),
            ('FRA2020.SHARE_GLOBAL_FOREST_AREA', 'forest', 'FAO FRA 2020 via Our World in Data', 'Share of global forest area', 'Tỷ trọng trong tổng diện tích rừng thế giới', '% of world total'),
            ('FRA2020.SHARE_GLOBAL_DEFORESTATION', 'forest', 'FAO FRA 2020 via Our World in Data', 'Share of global deforestation', 'Tỷ trọng trong tổng diện tích mất rừng thế giới', '% of world total'),
            ('FRA2020.SHARE_GLOBAL_EXPANSION', 'forest', 'FAO FRA 2020 via Our World in Data', 'Share of global forest expansion', 'Tỷ trọng trong tổng diện tích rừng mở rộng thế giới', '% of world total'),
            ('FRA2020.SHARE_REGIONAL_FOREST_AREA', 'forest', 'FAO FRA 2020 via Our World in Data', 'Share of regional forest area', 'Tỷ trọng trong tổng diện tích rừng của khu vực', '% of regional total'),
            ('FRA2020.SHARE_REGIONAL_DEFORESTATION', 'forest', 'FAO FRA 2020 via Our World in Data', 'Share of regional deforestation', 'Tỷ trọng trong tổng diện tích mất rừng của khu vực', '% of regional total'),
            -- Meijer et al. (2021) via OWID
            ('MEIJER2021.MISMANAGED_PLASTIC_WASTE', 'waste', 'Meijer et al. (2021) via Our World in Data', 'Mismanaged plastic waste', 'Rác thải nhựa không được quản lý', 't per year'),
            ('MEIJER2021.PLASTIC_TO_OCEAN', 'waste', 'Meijer et al. (2021) via Our World in Data', 'Plastic waste emitted to the ocean', 'Rác thải nhựa thải ra đại dương', 't per year'),
            ('MEIJER2021.MISMANAGED_PLASTIC_WASTE_PER_CAPITA', 'waste', 'Meijer et al. (2021) via Our World in Data', 'Mismanaged plastic waste per person', 'Rác thải nhựa không được quản lý bình quân đầu người', 'kg per capita per year'),
            ('MEIJER2021.PLASTIC_TO_OCEAN_PER_CAPITA', 'waste', 'Meijer et al. (2021) via Our World in Data', 'Plastic waste emitted to the ocean per person', 'Rác thải nhựa ra đại dương bình quân đầu người', 'kg per capita per year'),
            ('MEIJER2021.SHARE_MISMANAGED_TO_OCEAN', 'waste', 'Meijer et al. (2021) via Our World in Data', 'Share of mismanaged plastic waste emitted to the ocean', 'Tỷ lệ rác thải nhựa không được quản lý thải ra đại dương', '% of mismanaged plastic waste'),
            ('MEIJER2021.SHARE_GLOBAL_MISMANAGED', 'waste', 'Meijer et al. (2021) via Our World in Data', 'Share of global mismanaged plastic waste', 'Tỷ trọng trong tổng rác thải nhựa không được quản lý của thế giới', '% of world total'),
            ('MEIJER2021.SHARE_GLOBAL_TO_OCEAN', 'waste', 'Meijer et al. (2021) via Our World in Data', 'Share of global plastic emitted to the ocean', 'Tỷ trọng trong tổng lượng nhựa thải ra đại dương của thế giới', '% of world total')
    ) as labels (indicator_code, topic, source_name, indicator_name_en, indicator_name_vi, unit)
),

-- staging column -> indicator code for the two unpivoted OWID tables
owid_columns as (
    select *
    from (
        values
            ('forest_area_kha', 'FRA2020.FOREST_AREA'),
            ('forest_cover_pct', 'FRA2020.FOREST_COVER'),
            ('afforestation_kha_per_year', 'FRA2020.AFFORESTATION'),
            ('deforestation_kha_per_year', 'FRA2020.DEFORESTATION'),
            ('forest_expansion_kha_per_year', 'FRA2020.FOREST_EXPANSION'),
            ('natural_forest_expansion_kha_per_year', 'FRA2020.NATURAL_EXPANSION'),
            ('net_change_kha_per_year', 'FRA2020.NET_CHANGE'),
            ('conversion_pct_of_forest_area', 'FRA2020.CONVERSION_PCT'),
            ('deforestation_pct_of_forest_area', 'FRA2020.DEFORESTATION_PCT'),
            ('expansion_pct_of_forest_area', 'FRA2020.EXPANSION_PCT'),
            ('share_of_global_forest_area_pct', 'FRA2020.SHARE_GLOBAL_FOREST_AREA'),
            ('share_of_global_deforestation_pct', 'FRA2020.SHARE_GLOBAL_DEFORESTATION'),
            ('share_of_global_forest_expansion_pct', 'FRA2020.SHARE_GLOBAL_EXPANSION'),
            ('share_of_regional_forest_area_pct', 'FRA2020.SHARE_REGIONAL_FOREST_AREA'),
            ('share_of_regional_deforestation_pct', 'FRA2020.SHARE_REGIONAL_DEFORESTATION'),
            ('mismanaged_plastic_waste_t_per_year', 'MEIJER2021.MISMANAGED_PLASTIC_WASTE'),
            ('plastic_emitted_to_ocean_t_per_year', 'MEIJER2021.PLASTIC_TO_OCEAN'),
            ('mismanaged_plastic_waste_kg_per_capita_per_year', 'MEIJER2021.MISMANAGED_PLASTIC_WASTE_PER_CAPITA'),
            ('plastic_emitted_to_ocean_kg_per_capita_per_year', 'MEIJER2021.PLASTIC_TO_OCEAN_PER_CAPITA'),
            ('share_of_mismanaged_waste_emitted_to_ocean_pct', 'MEIJER2021.SHARE_MISMANAGED_TO_OCEAN'),
            ('share_of_global_mismanaged_plastic_waste_pct', 'MEIJER2021.SHARE_GLOBAL_MISMANAGED'),
            ('share_of_global_plastic_emitted_to_ocean_pct', 'MEIJER2021.SHARE_GLOBAL_TO_OCEAN')
    ) as owid_columns (measure, indicator_code)
),

owid_viet_nam as (
    select owid_columns.indicator_code, owid_long.year, owid_long.value
    from (
        select * from forest_long
        union all
        select * from plastic_long
    ) as owid_long
    left join owid_columns
        on owid_columns.measure = owid_long.measure
    where owid_long.value is not null
),

-- every Viet Nam series except FAOSTAT, labelled
viet_nam_labelled as (
    select
        'VNM' as country_iso3,
        'Viet Nam' as country_name,
        series.indicator_code,
        labels.indicator_name_en,
        labels.indicator_name_vi,
        labels.topic,
        labels.unit,
        labels.source_name,
        series.year,
        series.value
    from (
        select * from wb_viet_nam
        union all
        select * from owid_viet_nam
    ) as series
    left join labels
        on labels.indicator_code = series.indicator_code
),

renewable_asean as (
    select
        renewable.country_iso3,
        case when renewable.country_iso3 = 'VNM' then 'Viet Nam' else renewable.country_name end as country_name,
        renewable.indicator_code,
        labels.indicator_name_en,
        labels.indicator_name_vi,
        labels.topic,
        labels.unit,
        case
            when renewable.country_iso3 = 'VNM' then 'World Bank WDI'
            else 'World Bank WDI (bulk download)'
        end as source_name,
        renewable.year,
        renewable.value
    from {{ ref('int_renewable_energy_share_asean_joined') }} as renewable
    left join labels
        on labels.indicator_code = renewable.indicator_code
),

faostat as (
    select
        country_iso3,
        'Viet Nam' as country_name,
        indicator_code,
        indicator_name_en,
        indicator_name_vi,
        'emissions' as topic,
        unit,
        'FAOSTAT (Emissions indicators)' as source_name,
        year,
        value
    from {{ ref('int_faostat_emission_indicators_labelled') }}
),

final as (
    select * from viet_nam_labelled
    union all
    select * from renewable_asean
    union all
    select * from faostat
)

select * from final
order by country_iso3, indicator_code, year

-- OWID "Fertilizer use per hectare of land - FAO & Federico", Vietnam rows (2002-2014).
-- Handled here: the long descriptive header is renamed to a name with its unit
-- (kg of nutrient per ha of arable land, per the dataset's datapackage.json).
{{ owid_single_indicator_staging(
    'fertilizer',
    value_column='fertilizer_consumption_fao_2017_federico_2008',
    value_alias='fertilizer_kg_per_ha_arable_land',
) }}

-- OWID "Expected Years of Schooling - UNDP (2018)", Vietnam rows (annual 1990-2017).
-- Handled here: the value header is renamed to a name with its unit (years).
{{ owid_single_indicator_staging(
    'expected_schooling',
    value_column='expected_years_of_schooling_years',
    value_alias='expected_schooling_years',
) }}

-- OWID "Years of Schooling - based on Lee-Lee (2016), Barro-Lee (2018) and UNDP (2018)",
-- Vietnam rows. Handled here: the long (loader-truncated) header is renamed to a name with its
-- unit. The series is 5-yearly until 1985 and annual from 1990; nothing is interpolated (the
-- mart education_schooling_years publishes the gap to the previous observation).
{{ owid_single_indicator_staging(
    'mean_years_schooling',
    value_column='average_total_years_of_schooling_for_adult_population__4f7386ca',
    value_alias='mean_schooling_years',
) }}

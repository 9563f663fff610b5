-- HDI next to expected and mean years of schooling (UNDP HDR, same release) per year since 1990,
-- their correlation over all years, and the World Bank Human Capital Index where published.
with hdi as (
    select year, value as hdi
    from curated.education_human_development
    where indicator_code = 'hdi'
),

hci as (
    select year, value as human_capital_index
    from curated.education_human_development
    where indicator_code = 'HD.HCI.OVRL'
),

schooling as (
    select
        year,
        max(case when measure_code = 'expected_years_of_schooling' then value_years end) as expected_years_of_schooling,
        max(case when measure_code = 'mean_years_of_schooling' then value_years end) as mean_years_of_schooling
    from curated.education_schooling_years
    where source_code = 'undp_hdr'
        and sex = 'total'
    group by year
),

joined as (
    select
        hdi.year,
        hdi.hdi,
        schooling.expected_years_of_schooling,
        schooling.mean_years_of_schooling,
        hci.human_capital_index
    from hdi
    inner join schooling
        on hdi.year = schooling.year
    left join hci
        on hdi.year = hci.year
)

select
    year,
    hdi,
    round(expected_years_of_schooling, 2) as expected_years_of_schooling,
    round(mean_years_of_schooling, 2) as mean_years_of_schooling,
    round(human_capital_index, 3) as human_capital_index,
    round(corr(hdi, expected_years_of_schooling) over (), 3) as corr_hdi_expected_schooling
from joined
order by year

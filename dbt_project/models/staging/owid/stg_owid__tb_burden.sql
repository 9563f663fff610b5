-- WHO Global TB Report 2019 burden estimates for Viet Nam (via OWID), one row per year.
-- The raw headers are long English labels ending with the WHO variable code in parentheses;
-- the loader truncated the longest ones with a hash suffix. Each column is renamed back to its
-- WHO code (WHO TB data dictionary). The mapping was derived from the original header row by
-- position, and checked against the values (every *_lo <= estimate <= *_hi). The upstream
-- label of e_inc_num_lo lacks the words "low bound"; its WHO code and values show it is one.
-- A renamed or re-hashed header upstream makes this model fail loudly instead of mis-mapping.
with source as (
    select * from {{ source('owid', 'tb_burden') }}
),

renamed as (
    select
        -- strings
        nullif(trim(entity), '') as country_name,
        -- numerics: case detection (percent) and notification (per 100 000 population)
        try_cast(nullif(trim(case_detection_rate_all_forms_also_known_as_tb_treatme_df1dfae2), '') as double) as c_cdr,
        try_cast(nullif(trim(case_detection_rate_all_forms_also_known_as_tb_treatme_5e64d140), '') as double) as c_cdr_hi,
        try_cast(nullif(trim(case_detection_rate_all_forms_also_known_as_tb_treatme_4a980e4d), '') as double) as c_cdr_lo,
        try_cast(nullif(trim(case_notification_rate_which_is_the_total_of_new_and_r_5eef75b7), '') as double) as c_newinc_100k,
        -- numerics: case fatality ratio (cfr as a ratio 0-1, cfr_pct in percent; reported for 2018 only)
        try_cast(nullif(trim(estimated_tb_case_fatality_ratio_cfr), '') as double) as cfr,
        try_cast(nullif(trim(estimated_tb_case_fatality_ratio_high_bound_cfr_hi), '') as double) as cfr_hi,
        try_cast(nullif(trim(estimated_tb_case_fatality_ratio_low_bound_cfr_lo), '') as double) as cfr_lo,
        try_cast(nullif(trim(estimated_tb_case_fatality_ratio_expressed_as_a_percen_3d8b5bce), '') as double) as cfr_pct,
        try_cast(nullif(trim(estimated_tb_case_fatality_ratio_high_bound_expressed__bfb7afa3), '') as double) as cfr_pct_hi,
        try_cast(nullif(trim(estimated_tb_case_fatality_ratio_low_bound_expressed_a_06050449), '') as double) as cfr_pct_lo,
        -- numerics: incidence, all forms (per 100 000 population; number of cases)
        try_cast(nullif(trim(estimated_incidence_all_forms_per_100_000_population_e_inc_100k), '') as double) as e_inc_100k,
        try_cast(nullif(trim(estimated_incidence_all_forms_per_100_000_population_h_bbc840c0), '') as double) as e_inc_100k_hi,
        try_cast(nullif(trim(estimated_incidence_all_forms_per_100_000_population_l_9df287a9), '') as double) as e_inc_100k_lo,
        try_cast(nullif(trim(estimated_number_of_incident_cases_all_forms_e_inc_num), '') as double) as e_inc_num,
        try_cast(nullif(trim(estimated_number_of_incident_cases_all_forms_high_boun_ede97c97), '') as double) as e_inc_num_hi,
        try_cast(nullif(trim(estimated_number_of_incident_cases_all_forms_e_inc_num_lo), '') as double) as e_inc_num_lo,
        -- numerics: incidence among HIV-positive people (per 100 000 population; number of cases)
        try_cast(nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_p_b17c330f), '') as double) as e_inc_tbhiv_100k,
        try_cast(nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_p_09966c0e), '') as double) as e_inc_tbhiv_100k_hi,
        try_cast(nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_p_26cefbc3), '') as double) as e_inc_tbhiv_100k_lo,
        try_cast(nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_e_4d7f5d92), '') as double) as e_inc_tbhiv_num,
        try_cast(nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_h_52a108ef), '') as double) as e_inc_tbhiv_num_hi,
        try_cast(nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_l_9d3fb0c8), '') as double) as e_inc_tbhiv_num_lo,
        -- numerics: mortality, all forms incl. HIV-positive (per 100 000 population; number of deaths)
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_all_forms_per_100_000__8737e7ed), '') as double) as e_mort_100k,
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_all_forms_per_100_000__d2202c63), '') as double) as e_mort_100k_hi,
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_all_forms_per_100_000__02eea92e), '') as double) as e_mort_100k_lo,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_all_forms_e_mort_num), '') as double) as e_mort_num,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_all_forms_high_boun_a32384d1), '') as double) as e_mort_num_hi,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_all_forms_low_bound_f267536e), '') as double) as e_mort_num_lo,
        -- numerics: mortality excluding HIV-positive people (per 100 000 population; number of deaths)
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_all_forms_excluding_hi_d7a330ff), '') as double) as e_mort_exc_tbhiv_100k,
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_all_forms_excluding_hi_20b51e3d), '') as double) as e_mort_exc_tbhiv_100k_hi,
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_all_forms_excluding_hi_741771e6), '') as double) as e_mort_exc_tbhiv_100k_lo,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_all_forms_excluding_0d4704b3), '') as double) as e_mort_exc_tbhiv_num,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_all_forms_excluding_58e036cf), '') as double) as e_mort_exc_tbhiv_num_hi,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_all_forms_excluding_df8adbb1), '') as double) as e_mort_exc_tbhiv_num_lo,
        -- numerics: mortality among HIV-positive people (per 100 000 population; number of deaths)
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_who_are_hiv_positive_p_1d6c3913), '') as double) as e_mort_tbhiv_100k,
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_who_are_hiv_positive_p_ef733854), '') as double) as e_mort_tbhiv_100k_hi,
        try_cast(nullif(trim(estimated_mortality_of_tb_cases_who_are_hiv_positive_p_cf940927), '') as double) as e_mort_tbhiv_100k_lo,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_in_people_who_are_h_e349a5d7), '') as double) as e_mort_tbhiv_num,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_in_people_who_are_h_e0083c60), '') as double) as e_mort_tbhiv_num_hi,
        try_cast(nullif(trim(estimated_number_of_deaths_from_tb_in_people_who_are_h_348d77b0), '') as double) as e_mort_tbhiv_num_lo,
        -- numerics: population (number of people) and HIV share of incident TB (percent)
        try_cast(nullif(trim(estimated_total_population_number_e_pop_num), '') as double) as e_pop_num,
        try_cast(nullif(trim(estimated_hiv_in_incident_tb_percent_e_tbhiv_prct), '') as double) as e_tbhiv_prct,
        try_cast(nullif(trim(estimated_hiv_in_incident_tb_percent_high_bound_e_tbhiv_prct_hi), '') as double) as e_tbhiv_prct_hi,
        try_cast(nullif(trim(estimated_hiv_in_incident_tb_percent_low_bound_e_tbhiv_prct_lo), '') as double) as e_tbhiv_prct_lo,
        -- dates
        try_cast(nullif(trim(year), '') as integer) as year,
        _loaded_at
    from source
)

select * from renamed

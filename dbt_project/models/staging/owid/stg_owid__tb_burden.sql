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
        {{ sd_try_cast("nullif(trim(case_detection_rate_all_forms_also_known_as_tb_treatme_df1dfae2), '')", 'double') }} as c_cdr,
        {{ sd_try_cast("nullif(trim(case_detection_rate_all_forms_also_known_as_tb_treatme_5e64d140), '')", 'double') }} as c_cdr_hi,
        {{ sd_try_cast("nullif(trim(case_detection_rate_all_forms_also_known_as_tb_treatme_4a980e4d), '')", 'double') }} as c_cdr_lo,
        {{ sd_try_cast("nullif(trim(case_notification_rate_which_is_the_total_of_new_and_r_5eef75b7), '')", 'double') }} as c_newinc_100k,
        -- numerics: case fatality ratio (cfr as a ratio 0-1, cfr_pct in percent; reported for 2018 only)
        {{ sd_try_cast("nullif(trim(estimated_tb_case_fatality_ratio_cfr), '')", 'double') }} as cfr,
        {{ sd_try_cast("nullif(trim(estimated_tb_case_fatality_ratio_high_bound_cfr_hi), '')", 'double') }} as cfr_hi,
        {{ sd_try_cast("nullif(trim(estimated_tb_case_fatality_ratio_low_bound_cfr_lo), '')", 'double') }} as cfr_lo,
        {{ sd_try_cast("nullif(trim(estimated_tb_case_fatality_ratio_expressed_as_a_percen_3d8b5bce), '')", 'double') }} as cfr_pct,
        {{ sd_try_cast("nullif(trim(estimated_tb_case_fatality_ratio_high_bound_expressed__bfb7afa3), '')", 'double') }} as cfr_pct_hi,
        {{ sd_try_cast("nullif(trim(estimated_tb_case_fatality_ratio_low_bound_expressed_a_06050449), '')", 'double') }} as cfr_pct_lo,
        -- numerics: incidence, all forms (per 100 000 population; number of cases)
        {{ sd_try_cast("nullif(trim(estimated_incidence_all_forms_per_100_000_population_e_inc_100k), '')", 'double') }} as e_inc_100k,
        {{ sd_try_cast("nullif(trim(estimated_incidence_all_forms_per_100_000_population_h_bbc840c0), '')", 'double') }} as e_inc_100k_hi,
        {{ sd_try_cast("nullif(trim(estimated_incidence_all_forms_per_100_000_population_l_9df287a9), '')", 'double') }} as e_inc_100k_lo,
        {{ sd_try_cast("nullif(trim(estimated_number_of_incident_cases_all_forms_e_inc_num), '')", 'double') }} as e_inc_num,
        {{ sd_try_cast("nullif(trim(estimated_number_of_incident_cases_all_forms_high_boun_ede97c97), '')", 'double') }} as e_inc_num_hi,
        {{ sd_try_cast("nullif(trim(estimated_number_of_incident_cases_all_forms_e_inc_num_lo), '')", 'double') }} as e_inc_num_lo,
        -- numerics: incidence among HIV-positive people (per 100 000 population; number of cases)
        {{ sd_try_cast("nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_p_b17c330f), '')", 'double') }} as e_inc_tbhiv_100k,
        {{ sd_try_cast("nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_p_09966c0e), '')", 'double') }} as e_inc_tbhiv_100k_hi,
        {{ sd_try_cast("nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_p_26cefbc3), '')", 'double') }} as e_inc_tbhiv_100k_lo,
        {{ sd_try_cast("nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_e_4d7f5d92), '')", 'double') }} as e_inc_tbhiv_num,
        {{ sd_try_cast("nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_h_52a108ef), '')", 'double') }} as e_inc_tbhiv_num_hi,
        {{ sd_try_cast("nullif(trim(estimated_incidence_of_tb_cases_who_are_hiv_positive_l_9d3fb0c8), '')", 'double') }} as e_inc_tbhiv_num_lo,
        -- numerics: mortality, all forms incl. HIV-positive (per 100 000 population; number of deaths)
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_all_forms_per_100_000__8737e7ed), '')", 'double') }} as e_mort_100k,
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_all_forms_per_100_000__d2202c63), '')", 'double') }} as e_mort_100k_hi,
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_all_forms_per_100_000__02eea92e), '')", 'double') }} as e_mort_100k_lo,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_all_forms_e_mort_num), '')", 'double') }} as e_mort_num,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_all_forms_high_boun_a32384d1), '')", 'double') }} as e_mort_num_hi,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_all_forms_low_bound_f267536e), '')", 'double') }} as e_mort_num_lo,
        -- numerics: mortality excluding HIV-positive people (per 100 000 population; number of deaths)
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_all_forms_excluding_hi_d7a330ff), '')", 'double') }} as e_mort_exc_tbhiv_100k,
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_all_forms_excluding_hi_20b51e3d), '')", 'double') }} as e_mort_exc_tbhiv_100k_hi,
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_all_forms_excluding_hi_741771e6), '')", 'double') }} as e_mort_exc_tbhiv_100k_lo,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_all_forms_excluding_0d4704b3), '')", 'double') }} as e_mort_exc_tbhiv_num,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_all_forms_excluding_58e036cf), '')", 'double') }} as e_mort_exc_tbhiv_num_hi,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_all_forms_excluding_df8adbb1), '')", 'double') }} as e_mort_exc_tbhiv_num_lo,
        -- numerics: mortality among HIV-positive people (per 100 000 population; number of deaths)
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_who_are_hiv_positive_p_1d6c3913), '')", 'double') }} as e_mort_tbhiv_100k,
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_who_are_hiv_positive_p_ef733854), '')", 'double') }} as e_mort_tbhiv_100k_hi,
        {{ sd_try_cast("nullif(trim(estimated_mortality_of_tb_cases_who_are_hiv_positive_p_cf940927), '')", 'double') }} as e_mort_tbhiv_100k_lo,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_in_people_who_are_h_e349a5d7), '')", 'double') }} as e_mort_tbhiv_num,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_in_people_who_are_h_e0083c60), '')", 'double') }} as e_mort_tbhiv_num_hi,
        {{ sd_try_cast("nullif(trim(estimated_number_of_deaths_from_tb_in_people_who_are_h_348d77b0), '')", 'double') }} as e_mort_tbhiv_num_lo,
        -- numerics: population (number of people) and HIV share of incident TB (percent)
        {{ sd_try_cast("nullif(trim(estimated_total_population_number_e_pop_num), '')", 'double') }} as e_pop_num,
        {{ sd_try_cast("nullif(trim(estimated_hiv_in_incident_tb_percent_e_tbhiv_prct), '')", 'double') }} as e_tbhiv_prct,
        {{ sd_try_cast("nullif(trim(estimated_hiv_in_incident_tb_percent_high_bound_e_tbhiv_prct_hi), '')", 'double') }} as e_tbhiv_prct_hi,
        {{ sd_try_cast("nullif(trim(estimated_hiv_in_incident_tb_percent_low_bound_e_tbhiv_prct_lo), '')", 'double') }} as e_tbhiv_prct_lo,
        -- dates
        {{ sd_try_cast("nullif(trim(year), '')", 'integer') }} as year,
        _loaded_at
    from source
)

select * from renamed

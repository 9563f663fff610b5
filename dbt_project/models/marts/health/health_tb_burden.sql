-- WHO tuberculosis burden estimates for Viet Nam (Global TB Report 2019, via OWID), one row per
-- year, point estimate with its low and high uncertainty bounds side by side. WHO publishes the
-- estimates rounded to 2-3 significant figures; counts are exact integers in the source.
with tb as (
    select * from {{ ref('stg_owid__tb_burden') }}
    where country_name = 'Vietnam'
),

final as (
    select
        year,
        -- incidence, all forms
        e_inc_100k as incidence_per_100k,
        e_inc_100k_lo as incidence_per_100k_low,
        e_inc_100k_hi as incidence_per_100k_high,
        cast(e_inc_num as bigint) as incident_cases,
        cast(e_inc_num_lo as bigint) as incident_cases_low,
        cast(e_inc_num_hi as bigint) as incident_cases_high,
        -- mortality, all forms, including HIV-positive people
        e_mort_100k as mortality_per_100k,
        e_mort_100k_lo as mortality_per_100k_low,
        e_mort_100k_hi as mortality_per_100k_high,
        cast(e_mort_num as bigint) as deaths,
        cast(e_mort_num_lo as bigint) as deaths_low,
        cast(e_mort_num_hi as bigint) as deaths_high,
        -- mortality among HIV-negative people (WHO's headline TB death count)
        e_mort_exc_tbhiv_100k as mortality_excl_hiv_per_100k,
        e_mort_exc_tbhiv_100k_lo as mortality_excl_hiv_per_100k_low,
        e_mort_exc_tbhiv_100k_hi as mortality_excl_hiv_per_100k_high,
        cast(e_mort_exc_tbhiv_num as bigint) as deaths_excl_hiv,
        cast(e_mort_exc_tbhiv_num_lo as bigint) as deaths_excl_hiv_low,
        cast(e_mort_exc_tbhiv_num_hi as bigint) as deaths_excl_hiv_high,
        -- detection and notification
        c_cdr as case_detection_rate_pct,
        c_cdr_lo as case_detection_rate_pct_low,
        c_cdr_hi as case_detection_rate_pct_high,
        c_newinc_100k as case_notification_rate_per_100k,
        -- HIV among incident TB cases
        e_tbhiv_prct as hiv_share_of_incident_tb_pct,
        e_tbhiv_prct_lo as hiv_share_of_incident_tb_pct_low,
        e_tbhiv_prct_hi as hiv_share_of_incident_tb_pct_high,
        -- case fatality ratio (estimated for 2018 only)
        cfr_pct as case_fatality_ratio_pct,
        cfr_pct_lo as case_fatality_ratio_pct_low,
        cfr_pct_hi as case_fatality_ratio_pct_high
    from tb
)

select * from final

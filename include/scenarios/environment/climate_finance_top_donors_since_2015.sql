-- The ten largest providers of climate-related development finance to Viet Nam since 2015
-- (USD million at constant prices), with the part given as grants, the part lent, and the sector
-- group each donor supported most.
with since_2015 as (
    select *
    from curated.environment_climate_finance
    where year >= 2015
),

by_donor as (
    select
        donor_name,
        sum(disbursement_usd_million_constant) as total_usd_million_constant,
        sum(disbursement_usd_million_constant) filter (where flow_name = 'ODA Grants') as oda_grants_usd_million_constant,
        sum(disbursement_usd_million_constant) filter (where flow_name = 'ODA Loans') as oda_loans_usd_million_constant,
        min(year) as first_year,
        max(year) as last_year,
        max(constant_price_year) as constant_price_year
    from since_2015
    group by donor_name
),

top_sector as (
    select donor_name, sector_group_vi, sector_group
    from (
        select
            donor_name,
            sector_group,
            sector_group_vi,
            row_number() over (
                partition by donor_name
                order by sum(disbursement_usd_million_constant) desc, sector_group
            ) as sector_rank
        from since_2015
        group by donor_name, sector_group, sector_group_vi
    ) as ranked
    where sector_rank = 1
)

select
    by_donor.donor_name,
    round(by_donor.total_usd_million_constant, 1) as total_usd_million_constant,
    round(coalesce(by_donor.oda_grants_usd_million_constant, 0), 1) as oda_grants_usd_million_constant,
    round(coalesce(by_donor.oda_loans_usd_million_constant, 0), 1) as oda_loans_usd_million_constant,
    top_sector.sector_group as main_sector_group,
    top_sector.sector_group_vi as main_sector_group_vi,
    by_donor.first_year,
    by_donor.last_year,
    by_donor.constant_price_year
from by_donor
inner join top_sector
    on top_sector.donor_name = by_donor.donor_name
order by by_donor.total_usd_million_constant desc
limit 10

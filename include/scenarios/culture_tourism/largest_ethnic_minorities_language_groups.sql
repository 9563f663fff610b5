-- The ten largest ethnic minorities at the 2019 census (all groups except the Kinh majority):
-- population, share of the census total population, language group, and how large that language
-- group is among all minorities.
with groups as (
    select * from curated.culture_ethnic_groups_2019
),

minorities as (
    select
        groups.*,
        rank() over (order by population desc) as minority_rank
    from groups
    where is_ethnic_minority
),

language_group_totals as (
    select
        language_group_vi,
        count(*) as minority_groups_in_language_group,
        sum(population) as language_group_minority_population
    from minorities
    group by language_group_vi
)

select
    minorities.minority_rank,
    minorities.ethnic_group_vi,
    minorities.population,
    minorities.share_of_census_total_pct,
    minorities.language_group_vi,
    minorities.language_group_en,
    language_group_totals.minority_groups_in_language_group,
    language_group_totals.language_group_minority_population
from minorities
join language_group_totals
    on language_group_totals.language_group_vi = minorities.language_group_vi
where minorities.minority_rank <= 10
order by minorities.minority_rank

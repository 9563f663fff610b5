-- Viet Nam's 54 ethnic groups at 1 April 2019 (GSO 2019 Population and Housing Census), one row
-- per group: population, rank, share of the census total population, language group.
-- The shares are of the census total, 96,208,984 persons (GSO, Kết quả Tổng điều tra dân số và
-- nhà ở năm 2019), not of the sum of the 54 groups (96,205,082): the 3,902 foreigners and persons
-- of undetermined ethnicity belong to no group, so the 54 shares add up to slightly under 100%.
{%- set census_total_population = 96208984 %}
{%- set unknown_language_group -%}
'culture_ethnic_groups_2019: language group "' || coalesce(groups.language_group_vi, '')
|| '" of "' || groups.ethnic_group_vi || '" has no English name; add it to language_groups'
{%- endset %}
with groups as (
    select * from {{ ref('stg_awesome_vn__ethnic_groups_2019') }}
),

-- English names of the compiler's eight language groups (added by this project).
language_groups as (
    select * from (
        values
            ('Việt – Mường', 'Viet-Muong'),
            ('Tày – Thái', 'Tay-Thai (Tai)'),
            ('Mông – Dao', 'Hmong-Mien'),
            ('Môn – Khmer', 'Mon-Khmer'),
            ('Hán', 'Sinitic (Chinese)'),
            ('Nam Đảo', 'Austronesian'),
            ('Tạng – Miến', 'Tibeto-Burman'),
            ('Ka Đai', 'Kadai (Kra)')
    ) as v (language_group_vi, language_group_en)
),

final as (
    select
        -- strings
        groups.ethnic_group_vi,
        -- numerics
        groups.population,
        cast(rank() over (order by groups.population desc) as integer) as population_rank,
        {{ sd_round('100.0 * cast(groups.population as float8) / ' ~ census_total_population, 4) }} as share_of_census_total_pct,
        -- flags
        (groups.ethnic_group_vi <> 'Kinh') as is_ethnic_minority,
        -- strings: language group
        groups.language_group_vi,
        case
            when language_groups.language_group_en is null then {{ sd_raise_error(unknown_language_group) }}
            else language_groups.language_group_en
        end as language_group_en
    from groups
    left join language_groups
        on language_groups.language_group_vi = groups.language_group_vi
)

select * from final
order by population_rank, ethnic_group_vi

-- Name-resolution table for pre-2025 provinces: one row per distinct name key, to be joined on
-- vn_name_key(<raw name>) = name_key (macro vn_name_key). Keys ignore case, diacritics, tone-mark placement,
-- spaces and punctuation, so "Hanoi", "Ha Noi", "HÀ NỘI" and "Hà Nội" share one row.
-- Generated forms (official name, name as published with prefix, "Tỉnh"/"Thành phố"/"TP."
-- prefixes, " Province"/" City"/", thành phố" suffixes) plus the curated seed
-- province_name_aliases for former names, abbreviations and older spellings.
-- A key claimed by two provinces fails the unique test on name_key.
with provinces as (
    select * from {{ ref('int_provinces_joined') }}
),

curated as (
    select * from {{ ref('province_name_aliases') }}
),

affixes as (
    select * from (
        values
            ('prefix', 'Tỉnh '),
            ('prefix', 'Thành phố '),
            ('prefix', 'TP. '),
            ('suffix', ' Province'),
            ('suffix', ' City'),
            ('suffix', ', thành phố')
    ) as t (affix_position, affix)
),

candidates as (
    select province_code, province_name_vi as alias, 'official_name' as alias_kind, 1 as priority
    from provinces

    union all

    select province_code, province_name_full as alias, 'published_name' as alias_kind, 2 as priority
    from provinces

    union all

    select
        provinces.province_code,
        case
            when affixes.affix_position = 'prefix' then affixes.affix || provinces.province_name_vi
            else provinces.province_name_vi || affixes.affix
        end as alias,
        'generated_' || affixes.affix_position as alias_kind,
        3 as priority
    from provinces
    cross join affixes

    union all

    -- left join: a seed row with a code that is not a pre-2025 province keeps a NULL code (tested)
    select provinces.province_code, curated.alias, 'curated' as alias_kind, 4 as priority
    from curated
    left join provinces
        on lpad(trim(curated.province_code), 2, '0') = provinces.province_code
),

keyed as (
    select
        {{ vn_name_key('alias') }} as name_key,
        province_code,
        alias,
        alias_kind,
        row_number() over (
            partition by {{ vn_name_key('alias') }}, province_code
            order by priority, alias
        ) as rank_in_key
    from candidates
),

deduplicated as (
    -- the same key reached twice for the SAME province (e.g. "Tỉnh X" published and generated)
    -- is kept once; the same key for two DIFFERENT provinces survives and fails the tests
    select name_key, province_code, alias, alias_kind
    from keyed
    where rank_in_key = 1
)

select * from deduplicated

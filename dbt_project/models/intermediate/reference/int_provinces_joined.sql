-- The 63 pre-2025 provinces with clean names and the official post-2025 unit they merged into.
-- Names: prefix ("Tỉnh", "Thành phố") split off into province_type; old-style tone placement
-- on open oa/oe/uy syllables moved to the new style used by GSO today ("Hoà" -> "Hòa",
-- "Thuỷ" -> "Thủy", but "Quý" untouched). The post-2025 name comes from GSO letter
-- 915/CTK-CSCL, joined on the post-2025 code; unit_names_agree checks merges.json and the
-- letter name the same unit (tested), since codes 44 and 15 changed meaning in 2025.
{#- old-style -> new-style tone placement, applied only when the vowel pair ends the syllable -#}
{%- set open_syllable_tones = [
    ('oà', 'òa'), ('oá', 'óa'), ('oả', 'ỏa'), ('oã', 'õa'), ('oạ', 'ọa'),
    ('oè', 'òe'), ('oé', 'óe'), ('oẻ', 'ỏe'), ('oẽ', 'õe'), ('oẹ', 'ọe'),
    ('uỳ', 'ùy'), ('uý', 'úy'), ('uỷ', 'ủy'), ('uỹ', 'ũy'), ('uỵ', 'ụy'),
] -%}
{%- set ns = namespace(expr='name_without_prefix') -%}
{%- for old, new in open_syllable_tones -%}
    {#- "qu" is a consonant: "Quý" is already new style, so uy after q is left alone -#}
    {%- set ns.expr = "regexp_replace(" ~ ns.expr ~ ", " ~ sd_regex("'(^|[^qQ])" ~ old ~ "(\\P{L}|$)'") ~ ", '\\1" ~ new ~ "\\2', 'g')" -%}
{%- endfor %}
with merges as (
    select * from {{ ref('int_province_merges_unnested') }}
),

units as (
    select * from {{ ref('stg_gso__province_codes_2025') }}
),

split_prefix as (
    select
        merges.*,
        case
            when province_name_full like 'Thành phố %' then 'thanh_pho_truc_thuoc_trung_uong'
            when province_name_full like 'Tỉnh %' then 'tinh'
        end as province_type,
        regexp_replace(province_name_full, '^(Tỉnh|Thành phố) +', '') as name_without_prefix
    from merges
),

renamed as (
    select
        split_prefix.*,
        {{ ns.expr }} as province_name_vi
    from split_prefix
),

joined as (
    select
        -- ids
        renamed.province_code,
        renamed.unit_2025_code,
        -- strings
        renamed.province_name_vi,
        renamed.province_type,
        -- strip_accents does not map đ/Đ
        {{ sd_strip_accents("replace(replace(renamed.province_name_vi, 'đ', 'd'), 'Đ', 'D')") }} as province_name_ascii,
        {{ vn_name_key('renamed.province_name_vi') }} as name_key,
        renamed.province_name_full,
        units.unit_2025_name_vi,
        renamed.merge_type,
        -- checks
        {{ vn_name_key("regexp_replace(renamed.unit_2025_name_full, '^(Tỉnh|Thành phố) +', '')") }}
            = {{ vn_name_key("regexp_replace(units.unit_2025_name_vi, '^(Tỉnh|Thành phố) +', '')") }}
            as unit_names_agree
    from renamed
    left join units
        on renamed.unit_2025_code = units.unit_2025_code
)

select * from joined

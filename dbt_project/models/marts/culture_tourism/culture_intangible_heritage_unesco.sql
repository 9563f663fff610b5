-- Viet Nam's elements inscribed on UNESCO's Intangible Cultural Heritage lists, one row per
-- element (2008-2025, as compiled in awesome-vietnam-data). The locality is a free-text note and
-- is published as written - no province code is guessed from it. The one multinational
-- inscription (shared with other States) is flagged from the note ("Đa quốc gia").
{%- set unknown_list -%}
'culture_intangible_heritage_unesco: list "' || coalesce(elements.list_name_vi, '')
|| '" of "' || elements.element_name_vi || '" is neither "Đại diện" nor "Cần bảo vệ khẩn cấp"'
{%- endset %}
with elements as (
    select * from {{ ref('stg_awesome_vn__intangible_heritage_unesco') }}
),

final as (
    select
        -- strings
        elements.element_name_vi,
        -- dates
        elements.year_inscribed,
        -- strings: list
        elements.list_name_vi,
        case elements.list_name_vi
            when 'Đại diện' then 'Representative List of the Intangible Cultural Heritage of Humanity'
            when 'Cần bảo vệ khẩn cấp' then 'List of Intangible Cultural Heritage in Need of Urgent Safeguarding'
            else {{ sd_raise_error(unknown_list) }}
        end as list_name_en,
        -- flags
        coalesce(elements.note_vi like 'Đa quốc gia%', false) as is_multinational,
        -- strings: free text
        elements.note_vi
    from elements
)

select * from final
order by year_inscribed, element_name_vi

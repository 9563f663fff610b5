-- MOET exam councils resolved to pre-2025 GSO provinces. The crosswalk is the reviewable seed
-- moet_exam_council_codes (council code -> GSO code; the two code systems differ: council 33 is
-- Thừa Thiên Huế = GSO 46, while GSO 33 is Hưng Yên). Every seed row is double-checked:
-- its council name must resolve, through int_province_aliases, to the same GSO code, and that code
-- must exist in dim_province; otherwise the build stops with the row in the message
-- (sd_raise_error: DuckDB error(), a raising PL/pgSQL function on PostgreSQL).
with councils as (
    select * from {{ ref('moet_exam_council_codes') }}
),

aliases as (
    select * from {{ ref('int_province_aliases') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

checked as (
    select
        -- ids
        councils.exam_council_code,
        case
            when provinces.province_code is null
                or name_match.province_code is null
                or name_match.province_code <> provinces.province_code
            then {{ sd_raise_error(
                "'moet_exam_council_codes: council ' || councils.exam_council_code || ' (\"'
                || councils.council_name_vi || '\") maps to GSO code ' || councils.province_code
                || ', but that code is not in dim_province or the council name resolves to GSO code '
                || coalesce(name_match.province_code, '(none)')"
            ) }}
            else provinces.province_code
        end as province_code,
        -- strings
        councils.council_name_vi,
        provinces.province_name_vi
    from councils
    left join provinces
        on lpad(trim(councils.province_code), 2, '0') = provinces.province_code
    left join aliases as name_match
        on {{ vn_name_key("regexp_replace(councils.council_name_vi, '^Sở GDĐT ', '')") }} = name_match.name_key
)

select * from checked

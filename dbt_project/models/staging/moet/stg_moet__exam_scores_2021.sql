-- 2021 national high-school graduation exam, one row per candidate of exam council 33 (crawl).
-- PERSON-LEVEL: candidate_id is a direct identifier. It is kept here only to test uniqueness;
-- int_exam_scores_unpivoted drops it and marts publish aggregates only.
-- Handled here:
--   * "-" (subject not taken) and empty cells -> NULL; "3", "4.50", "10" -> DOUBLE; a decimal
--     comma would be read as a point. A cell that is neither "-" nor a number is counted in
--     unparsed_score_cells (tested = 0) instead of disappearing silently.
--   * the exam-council code is the first two digits of the candidate number (MOET code system,
--     NOT a GSO province code; resolved through seed moet_exam_council_codes downstream).
--   * z_average, z_max, z_min are derived by the crawler and disagree with the subject scores
--     (z_min for 188 candidates, z_average for 23): dropped, statistics are recomputed.
with source as (
    select * from {{ source('moet', 'exam_scores_2021') }}
),

renamed as (
    select
        trim(id) as candidate_id,
        w_foreign_language as foreign_language_text,
        w_literature as literature_text,
        w_math as math_text,
        x_physics as physics_text,
        x_chemistry as chemistry_text,
        x_biology as biology_text,
        y_history as history_text,
        y_geography as geography_text,
        y_civic_education as civic_education_text,
        _loaded_at
    from source
),

typed as (
    select
        *,
        {%- for subject in ['foreign_language', 'literature', 'math', 'physics', 'chemistry', 'biology', 'history', 'geography', 'civic_education'] %}
        case
            when trim({{ subject }}_text) in ('-', '') then null
            else {{ sd_try_cast("replace(trim(" ~ subject ~ "_text), ',', '.')", 'double') }}
        end as {{ subject }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    from renamed
),

cleaned as (
    select
        -- ids
        candidate_id,
        substr(candidate_id, 1, 2) as exam_council_code,
        -- numerics: scores on the 0-10 scale, NULL = subject not taken
        foreign_language_score,
        literature_score,
        math_score,
        physics_score,
        chemistry_score,
        biology_score,
        history_score,
        geography_score,
        civic_education_score,
        -- numerics: data checks
        (
            {%- for subject in ['foreign_language', 'literature', 'math', 'physics', 'chemistry', 'biology', 'history', 'geography', 'civic_education'] %}
            case when trim({{ subject }}_text) not in ('-', '') and {{ subject }}_score is null then 1 else 0 end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) as unparsed_score_cells,
        -- strings: which elective combination the candidate sat
        case
            when physics_score is not null and chemistry_score is not null and biology_score is not null
                and history_score is null and geography_score is null and civic_education_score is null
                then 'natural_sciences'
            when history_score is not null and geography_score is not null and civic_education_score is not null
                and physics_score is null and chemistry_score is null and biology_score is null
                then 'social_sciences'
            when coalesce(physics_score, chemistry_score, biology_score, history_score, geography_score, civic_education_score) is null
                then 'none'
            else 'partial_or_both'
        end as elective_combination,
        -- dates: the file is the 2021 exam (one exam session per year)
        2021 as exam_year,
        _loaded_at
    from typed
)

select * from cleaned

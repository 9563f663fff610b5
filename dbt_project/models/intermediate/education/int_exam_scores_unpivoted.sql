-- 2021 exam scores, one row per candidate x subject taken (subjects not taken are left out),
-- WITHOUT the candidate number: the direct identifier stops at staging. Rows are still
-- person-level (score vectors could be re-linked through the row order), so this model is an
-- intermediate view only; the education_exam_* marts publish aggregates with k = 10.
-- The exam council (first two digits of the candidate number, MOET code system) is resolved to
-- a pre-2025 GSO province through int_exam_councils_resolved; a council missing from the seed
-- keeps a NULL province_code here and the marts refuse to build.
{%- set subjects = [
    ('foreign_language', 'Ngoại ngữ', 'Foreign language', 'compulsory', 0.2),
    ('literature', 'Ngữ văn', 'Literature', 'compulsory', 0.25),
    ('math', 'Toán', 'Mathematics', 'compulsory', 0.2),
    ('physics', 'Vật lí', 'Physics', 'natural_sciences', 0.25),
    ('chemistry', 'Hóa học', 'Chemistry', 'natural_sciences', 0.25),
    ('biology', 'Sinh học', 'Biology', 'natural_sciences', 0.25),
    ('history', 'Lịch sử', 'History', 'social_sciences', 0.25),
    ('geography', 'Địa lí', 'Geography', 'social_sciences', 0.25),
    ('civic_education', 'Giáo dục công dân', 'Civic education', 'social_sciences', 0.25),
] %}
with candidates as (
    select * from {{ ref('stg_moet__exam_scores_2021') }}
),

councils as (
    select * from {{ ref('int_exam_councils_resolved') }}
),

subject_labels as (
    select *
    from (
        values
        {%- for code, name_vi, name_en, grp, step in subjects %}
            ('{{ code }}', '{{ name_vi }}', '{{ name_en }}', '{{ grp }}', {{ step }}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as labels (subject_code, subject_name_vi, subject_name_en, subject_group, marking_step_points)
),

unpivoted as (
    {%- for code, name_vi, name_en, grp, step in subjects %}
    select exam_year, exam_council_code, '{{ code }}' as subject_code, {{ code }}_score as score
    from candidates
    where {{ code }}_score is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

resolved as (
    select
        -- ids
        unpivoted.exam_year,
        unpivoted.exam_council_code,
        councils.province_code,
        unpivoted.subject_code,
        -- strings
        councils.province_name_vi,
        subject_labels.subject_name_vi,
        subject_labels.subject_name_en,
        subject_labels.subject_group,
        -- numerics
        subject_labels.marking_step_points,
        unpivoted.score as score_points
    from unpivoted
    inner join subject_labels
        on unpivoted.subject_code = subject_labels.subject_code
    left join councils
        on unpivoted.exam_council_code = councils.exam_council_code
)

select * from resolved

-- Score statistics per subject of the 2021 national high-school graduation exam, exam council 33
-- (Thừa Thiên Huế), from a crawl of 4,567 candidates. Built from person-level data, so only
-- aggregates are published and every statistic resting on fewer than 10 candidates is withheld
-- (NULL, has_suppressed_cells = true): the subject's statistics need >= 10 candidates, and the
-- share scoring >= 5 needs >= 10 candidates on EACH side of the mark (else the small group could
-- be derived from candidates x share). No minimum or maximum is published (an extreme is one
-- candidate's score).
{%- set min_cell_size = 10 %}
with scores as (
    select * from {{ ref('int_exam_scores_unpivoted') }}
),

checked as (
    select
        {{ exam_council_province_code_or_error() }} as province_code,
        exam_year,
        exam_council_code,
        province_name_vi,
        subject_code,
        subject_name_vi,
        subject_name_en,
        subject_group,
        score_points
    from scores
),

stats as (
    select
        exam_year,
        exam_council_code,
        province_code,
        province_name_vi,
        subject_code,
        subject_name_vi,
        subject_name_en,
        subject_group,
        count(*) as candidates,
        avg(score_points) as mean_score,
        stddev_samp(score_points) as stddev_score,
        percentile_cont(0.25) within group (order by score_points) as p25_score,
        percentile_cont(0.5) within group (order by score_points) as median_score,
        percentile_cont(0.75) within group (order by score_points) as p75_score,
        count(*) filter (where score_points >= 5) as candidates_ge_5
    from checked
    group by
        exam_year, exam_council_code, province_code, province_name_vi,
        subject_code, subject_name_vi, subject_name_en, subject_group
),

protected as (
    select
        *,
        candidates >= {{ min_cell_size }} as subject_publishable,
        candidates_ge_5 >= {{ min_cell_size }}
            and candidates - candidates_ge_5 >= {{ min_cell_size }} as pass_share_publishable
    from stats
)

select
    -- ids
    exam_year,
    exam_council_code,
    province_code,
    subject_code,
    -- strings
    province_name_vi,
    subject_name_vi,
    subject_name_en,
    subject_group,
    -- numerics (NULL = withheld, fewer than {{ min_cell_size }} candidates)
    case when subject_publishable then candidates end as candidates,
    case when subject_publishable then {{ sd_round('mean_score', 2) }} end as mean_score_points,
    case when subject_publishable then {{ sd_round('stddev_score', 2) }} end as stddev_score_points,
    case when subject_publishable then {{ sd_round('p25_score', 2) }} end as p25_score_points,
    case when subject_publishable then {{ sd_round('median_score', 2) }} end as median_score_points,
    case when subject_publishable then {{ sd_round('p75_score', 2) }} end as p75_score_points,
    case
        when subject_publishable and pass_share_publishable
            then {{ sd_round('100.0 * candidates_ge_5 / candidates', 1) }}
    end as share_ge_5_pct,
    -- flags
    not (subject_publishable and pass_share_publishable) as has_suppressed_cells
from protected
order by subject_group, subject_code

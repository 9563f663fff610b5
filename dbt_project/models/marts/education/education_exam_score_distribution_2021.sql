-- Score distribution (1-point bins) per subject of the 2021 national high-school graduation exam,
-- exam council 33 (Thừa Thiên Huế), from a crawl of 4,567 candidates. Built from person-level
-- data, so small cells are withheld:
--   * primary suppression: a bin with fewer than 10 candidates (including 0) is withheld;
--   * complementary suppression: the subject's total and its count at or above the pass mark 5
--     are published (education_exam_scores_2021_summary), so within each side of the mark a lone
--     withheld bin, or withheld bins adding up to fewer than 10, could be recovered by
--     subtraction; the smallest other bin on that side is then withheld too;
--   * a subject where fewer than 10 candidates (including 0) fall on one side of the mark has
--     all its bins withheld (that side's total follows from the other side's bins), as the
--     summary withholds its pass share.
-- Bins are 1 point wide ([0,1) ... [8,9), and [9,10] closed): math and foreign language are marked
-- in 0.2-point steps and the other tests in 0.25-point steps, so finer bins would hold unequal
-- numbers of possible scores, and would mostly be suppressed.
{%- set min_cell_size = 10 %}
with scores as (
    select * from {{ ref('int_exam_scores_unpivoted') }}
),

subjects as (
    select
        {{ exam_council_province_code_or_error() }} as province_code,
        exam_year,
        exam_council_code,
        province_name_vi,
        subject_code,
        subject_name_vi,
        subject_name_en,
        count(*) as subject_candidates
    from scores
    group by
        exam_year, exam_council_code, province_code, province_name_vi,
        subject_code, subject_name_vi, subject_name_en
),

bins as (
    select bin_lower
    from generate_series(0, 9) as series (bin_lower)
),

-- every subject gets all 10 bins, so an absent bin is a published (or withheld) zero
counted as (
    select
        subjects.exam_year,
        subjects.exam_council_code,
        subjects.province_code,
        subjects.province_name_vi,
        subjects.subject_code,
        subjects.subject_name_vi,
        subjects.subject_name_en,
        subjects.subject_candidates,
        bins.bin_lower,
        case when bins.bin_lower < 5 then 'below_5' else 'from_5' end as pass_side,
        count(scores.score_points) as candidates
    from subjects
    cross join bins
    left join scores
        on scores.exam_year = subjects.exam_year
        and scores.exam_council_code = subjects.exam_council_code
        and scores.subject_code = subjects.subject_code
        and least(floor(scores.score_points), 9) = bins.bin_lower
    group by
        subjects.exam_year, subjects.exam_council_code, subjects.province_code,
        subjects.province_name_vi, subjects.subject_code, subjects.subject_name_vi,
        subjects.subject_name_en, subjects.subject_candidates, bins.bin_lower
),

primary_flagged as (
    select
        *,
        candidates < {{ min_cell_size }} as is_primary
    from counted
),

side_stats as (
    select
        *,
        sum(case when is_primary then 1 else 0 end)
            over (partition by exam_year, exam_council_code, subject_code, pass_side) as primary_cells,
        sum(case when is_primary then candidates else 0 end)
            over (partition by exam_year, exam_council_code, subject_code, pass_side) as primary_candidates,
        sum(candidates)
            over (partition by exam_year, exam_council_code, subject_code, pass_side) as side_candidates,
        row_number()
            over (partition by exam_year, exam_council_code, subject_code, pass_side, is_primary
                  order by candidates, bin_lower) as rank_within_kind
    from primary_flagged
),

suppressed as (
    select
        *,
        case
            when min(side_candidates) over (partition by exam_year, exam_council_code, subject_code)
                < {{ min_cell_size }} then 'small_pass_side'
            when is_primary then 'fewer_than_{{ min_cell_size }}_candidates'
            when primary_cells >= 1
                and (primary_cells = 1 or primary_candidates < {{ min_cell_size }})
                and rank_within_kind = 1
                then 'complementary'
        end as suppression_reason
    from side_stats
)

select
    -- ids
    exam_year,
    exam_council_code,
    province_code,
    subject_code,
    cast(bin_lower as integer) as score_bin_lower_points,
    -- strings
    province_name_vi,
    subject_name_vi,
    subject_name_en,
    case
        when bin_lower = 9 then '[9, 10]'
        else '[' || cast(bin_lower as varchar) || ', ' || cast(bin_lower + 1 as varchar) || ')'
    end as score_bin_label,
    -- numerics (NULL = withheld)
    cast(case when bin_lower = 9 then 10 else bin_lower + 1 end as integer) as score_bin_upper_points,
    case when suppression_reason is null then candidates end as candidates,
    case when suppression_reason is null then {{ sd_round('100.0 * candidates / subject_candidates', 1) }} end as share_pct,
    -- flags
    suppression_reason is not null as is_suppressed,
    suppression_reason
from suppressed
order by subject_code, score_bin_lower_points

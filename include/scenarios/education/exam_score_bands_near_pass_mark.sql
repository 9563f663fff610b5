-- Per subject: the 1-point band holding most candidates (among published bands) and the share of
-- candidates just below the pass mark, band [4, 5) (NULL where that band is withheld, k = 10).
with bands as (
    select *
    from curated.education_exam_score_distribution_2021
    where exam_year = 2021
        and exam_council_code = '33'
),

ranked as (
    select
        subject_code,
        subject_name_vi,
        subject_name_en,
        score_bin_label,
        share_pct,
        row_number() over (partition by subject_code order by candidates desc, score_bin_lower_points) as band_rank
    from bands
    where not is_suppressed
),

near_miss as (
    select subject_code, share_pct as share_4_to_5_pct, is_suppressed as near_miss_withheld
    from bands
    where score_bin_lower_points = 4
)

select
    ranked.subject_name_vi,
    ranked.subject_name_en,
    ranked.score_bin_label as modal_band,
    ranked.share_pct as modal_share_pct,
    near_miss.share_4_to_5_pct,
    near_miss.near_miss_withheld
from ranked
inner join near_miss
    on ranked.subject_code = near_miss.subject_code
where ranked.band_rank = 1
order by near_miss.share_4_to_5_pct desc nulls last, ranked.subject_code

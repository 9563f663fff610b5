-- Share of candidates scoring >= 5 per subject, 2021 graduation exam, Thừa Thiên Huế exam council,
-- with the post-2025 unit the province belongs to; lowest pass share first.
select
    summary.subject_name_vi,
    summary.subject_name_en,
    summary.subject_group,
    summary.candidates,
    summary.share_ge_5_pct,
    summary.mean_score_points,
    summary.median_score_points,
    province.province_name_vi,
    province.unit_2025_name_vi
from curated.education_exam_scores_2021_summary as summary
inner join curated.dim_province as province
    on summary.province_code = province.province_code
where summary.exam_year = 2021
    and summary.exam_council_code = '33'
order by summary.share_ge_5_pct, summary.subject_code

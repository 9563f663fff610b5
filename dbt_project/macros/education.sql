{#- province_code of an int_exam_scores_unpivoted row, or stop the build: a candidate's exam
    council missing from the seed moet_exam_council_codes keeps a NULL province_code upstream, and
    no exam mart may publish it. The error names the calling model (sd_raise_error). -#}
{% macro exam_council_province_code_or_error() %}
case
    when province_code is null then {{ sd_raise_error(
        "'" ~ this.name ~ ": exam council \"' || exam_council_code
        || '\" is not in seeds/education/moet_exam_council_codes.csv'"
    ) }}
    else province_code
end
{%- endmacro %}

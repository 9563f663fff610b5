-- SE.TER.ENRR tertiary gross enrolment (%), Viet Nam, from a PowerShell re-serialised cache of the
-- API response; unnesting and typing shared by every cached WB indicator (macros/worldbank.sql).
{{ worldbank_cached_json_staging('tertiary_enrolment') }}

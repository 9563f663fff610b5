-- GSO provincial rice statistics 2014 (12 northern provinces); production header
-- "rice production (ton)". Typing shared with the other years' workbooks (macros/gso.sql).
{{ gso_rice_staging('rice_2014', production_column='rice_production_ton', year=2014) }}

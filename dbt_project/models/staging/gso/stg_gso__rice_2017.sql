-- GSO provincial rice statistics 2017 (12 northern provinces). Same table as 2014, but the
-- production header drifted to "rice production (ton/y)" (raw column rice_production_ton_y).
{{ gso_rice_staging('rice_2017', production_column='rice_production_ton_y', year=2017) }}

-- HD.HCI.OVRL Human Capital Index (0-1), Viet Nam (source 63, country "Vietnam"), from a
-- PowerShell re-serialised cache of the API response; unnesting and typing shared by every cached
-- WB indicator (macros/worldbank.sql).
{{ worldbank_cached_json_staging('human_capital_index') }}

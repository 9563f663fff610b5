{#-
    # Cross-database macros (DuckDB ⇄ PostgreSQL)

    The models are written once and build on both warehouses (`SECTOR_DATASETS_WAREHOUSE_KIND`).
    Where DuckDB and PostgreSQL spell something differently, a model calls one of these macros; each
    dispatches (`adapter.dispatch(..., 'sector_datasets')`) to a `default__` implementation, which
    is DuckDB's — the SQL the models always ran, so DuckDB builds are unchanged (checksum-identical
    audit and curated tables) — and a `postgres__` one written to return the same values
    (tests/warehouse/test_postgres_warehouse.py compares both on edge cases and on the real data).
    Arguments that are SQL (expressions, patterns) are passed as text: `sd_try_cast("nullif(x, '')",
    'double')`; a pattern keeps its SQL quotes: `sd_regexp_extract('id', "'^(.+)_([0-9]+)$'", 1)`.

    | macro | DuckDB (default__) | postgres__ |
    |---|---|---|
    | `sd_try_cast(expr, type)` | `try_cast(expr as type)` | validate the text with a regular expression, then cast; NULL otherwise (DuckDB's rules: `'1.5'` → integer 2, white space and `1_000` allowed, `inf`/`nan` doubles, a date may carry a time) |
    | `sd_round(expr, digits)` | `round(expr, digits)` on a double | the same arithmetic in double precision: `round(x·10ⁿ)/10ⁿ`, half away from zero (PostgreSQL has no `round(double, int)`) |
    | `sd_star_except(relation, except, prefix, extra)` | `prefix.* exclude (...)` | the relation's columns (read when the model runs) plus `extra`, minus `except` |
    | `sd_columns_matching(relation, regex, except)` | the relation's column names matching a Python regex (both warehouses; what `COLUMNS('regex')` selects) | same |
    | `sd_unpivot(relation_sql, ids, values, name_column, value_columns, include_nulls)` | `UNPIVOT [INCLUDE NULLS] (... FOR ... IN (...))` | `cross join lateral (values ...)`, dropping a row when any value is NULL unless `include_nulls` (UNPIVOT's rule) |
    | `sd_regexp_extract(expr, pattern, group)` | `regexp_extract` | `regexp_substr`, `''` when nothing matched (as DuckDB) |
    | `sd_regexp_matches(expr, pattern)` | `regexp_matches` | `~` |
    | `sd_regex(pattern)` | the RE2 pattern | the same pattern in PostgreSQL's ARE syntax (`\b` → `\y`, `\p{L}`/`\P{L}` → `[[:alpha:]]`/`[^[:alpha:]]`) |
    | `sd_nfc(expr)`, `sd_strip_accents(expr)` | `nfc_normalize`, `strip_accents` | `normalize(expr, NFC)`; NFD then drop combining marks U+0300–U+036F |
    | `sd_raise_error(message)` | `error(message)` | `sd_util.raise_error(message)` (PL/pgSQL, created by `sd_on_run_start`) |
    | `sd_try_strptime(expr, format)` (format unquoted) | `try_strptime` | validate against the format, then `cast(... as timestamp)` (the formats the models use) |
    | `sd_decode_numeric_html_entities(expr)` | `list_reduce` over `regexp_extract_all` | `sd_util.decode_numeric_html_entities` (PL/pgSQL) |
    | `sd_unnest_json_objects(relation_sql, json_expr, keep, fields)` | `unnest(from_json(...), recursive := true)` | `json_to_recordset` |
    | `sd_on_run_start()` (dbt_project.yml on-run-start) | nothing | creates the `sd_util` helper functions |

    One model macro dispatches as a whole: `worldbank_cached_json_staging` (from_json structs on
    DuckDB, `json_array_elements` on PostgreSQL).

    Types: write `float8` for a double (both accept it; DuckDB calls it `DOUBLE`), `varchar`, `integer`,
    `bigint`, `decimal(p, s)`, `date`, `timestamp`; cast where PostgreSQL's result type differs
    (`length()` is integer there, bigint in DuckDB). Text must sort by code point on both (DuckDB's
    binary order): the PostgreSQL warehouse database is created with `LC_COLLATE 'C'`. Avoid
    integer / integer (DuckDB divides in double, PostgreSQL truncates).
-#}

-- UNESCO World Heritage sites of Viet Nam (2019 list export), one row per site, typed and with
-- every text column turned into plain text:
--   1. the loader already decoded the file as Windows-1252 (csv.encoding cp1252 in the registry);
--      "Hué" (byte 0xE9) and the right single quote (0x92) only decode correctly that way;
--   2. HTML tags are stripped (paragraph-level tags become a space, inline ones such as <em>
--      and <sup> disappear, so "XV<sup>e</sup>" stays "XVe");
--   3. HTML entities are unescaped: the named ones in the list below (Latin-1 letters and
--      typographic punctuation, &amp; last so "&amp;eacute;" is not decoded twice) and every
--      decimal numeric entity (&#233;). An entity outside the list is left as written and
--      flagged by has_markup_residue, which the staging tests and the mart suite check;
--   4. whitespace is normalised: no-break spaces become spaces and the newlines embedded in
--      quoted fields (between paragraphs) collapse to one space, so exports stay one line per row.
-- Numeric entities: sd_decode_numeric_html_entities (DuckDB list_reduce, a PL/pgSQL function on
-- PostgreSQL); regexp option 'gi' works on both.
{%- set text_columns = [
    'name_en', 'name_fr', 'short_description_en', 'short_description_fr',
    'justification_en', 'justification_fr'
] %}
{%- set html_entities = [
    ('&nbsp;', ' '),
    ('&agrave;', 'à'), ('&Agrave;', 'À'), ('&aacute;', 'á'), ('&Aacute;', 'Á'), ('&acirc;', 'â'), ('&Acirc;', 'Â'),
    ('&atilde;', 'ã'), ('&Atilde;', 'Ã'), ('&auml;', 'ä'), ('&Auml;', 'Ä'), ('&aring;', 'å'), ('&Aring;', 'Å'),
    ('&aelig;', 'æ'), ('&AElig;', 'Æ'), ('&ccedil;', 'ç'), ('&Ccedil;', 'Ç'),
    ('&egrave;', 'è'), ('&Egrave;', 'È'), ('&eacute;', 'é'), ('&Eacute;', 'É'), ('&ecirc;', 'ê'), ('&Ecirc;', 'Ê'),
    ('&euml;', 'ë'), ('&Euml;', 'Ë'), ('&igrave;', 'ì'), ('&Igrave;', 'Ì'), ('&iacute;', 'í'), ('&Iacute;', 'Í'),
    ('&icirc;', 'î'), ('&Icirc;', 'Î'), ('&iuml;', 'ï'), ('&Iuml;', 'Ï'), ('&ntilde;', 'ñ'), ('&Ntilde;', 'Ñ'),
    ('&ograve;', 'ò'), ('&Ograve;', 'Ò'), ('&oacute;', 'ó'), ('&Oacute;', 'Ó'), ('&ocirc;', 'ô'), ('&Ocirc;', 'Ô'),
    ('&otilde;', 'õ'), ('&Otilde;', 'Õ'), ('&ouml;', 'ö'), ('&Ouml;', 'Ö'), ('&oslash;', 'ø'), ('&Oslash;', 'Ø'),
    ('&oelig;', 'œ'), ('&OElig;', 'Œ'), ('&ugrave;', 'ù'), ('&Ugrave;', 'Ù'), ('&uacute;', 'ú'), ('&Uacute;', 'Ú'),
    ('&ucirc;', 'û'), ('&Ucirc;', 'Û'), ('&uuml;', 'ü'), ('&Uuml;', 'Ü'), ('&yacute;', 'ý'), ('&Yacute;', 'Ý'),
    ('&yuml;', 'ÿ'), ('&Yuml;', 'Ÿ'),
    ('&rsquo;', '’'), ('&lsquo;', '‘'), ('&rdquo;', '”'), ('&ldquo;', '“'), ('&laquo;', '«'), ('&raquo;', '»'),
    ('&ndash;', '–'), ('&mdash;', '—'), ('&hellip;', '…'), ('&middot;', '·'), ('&deg;', '°'),
    ('&quot;', '"'), ('&apos;', "''"), ('&lt;', '<'), ('&gt;', '>'),
    ('&amp;', '&')
] %}

with source as (
    select * from {{ source('unesco', 'whc_sites') }}
),

-- step 2: HTML tags out (block-level tags to a space, inline tags to nothing)
tags_stripped as (
    select
        {%- for col in text_columns %}
        regexp_replace(
            regexp_replace({{ col }}, {{ sd_regex("'</?(p|br|div|li|ul|ol|h[1-6])\\b[^>]*>'") }}, ' ', 'gi'),
            '<[^>]*>', '', 'g'
        ) as {{ col }},
        {%- endfor %}
        {{ sd_star_except(source('unesco', 'whc_sites'), text_columns, 'source') }}
    from source
),

-- step 3: HTML entities unescaped (named list, then decimal numeric entities)
entities_unescaped as (
    select
        {%- for col in text_columns %}
        {%- set ns = namespace(expr=col) %}
        {%- for entity, char in html_entities %}
            {%- set ns.expr = "replace(" ~ ns.expr ~ ", '" ~ entity ~ "', '" ~ char ~ "')" %}
        {%- endfor %}
        {{ sd_decode_numeric_html_entities(ns.expr) }} as {{ col }},
        {%- endfor %}
        {{ sd_star_except(source('unesco', 'whc_sites'), text_columns, 'tags_stripped') }}
    from tags_stripped
),

-- step 4: whitespace normalised; empty text = NULL
renamed as (
    select
        -- ids
        {{ sd_try_cast("nullif(trim(id_no), '')", 'integer') }} as site_id,
        {{ sd_try_cast("nullif(trim(unique_number), '')", 'integer') }} as unique_number,
        nullif(trim(rev_bis), '') as revision_flag,
        lower(nullif(trim(iso_code), '')) as iso_codes,
        lower(nullif(trim(udnp_code), '')) as undp_codes,
        -- strings: names and texts (plain text after steps 2-4)
        {%- for col in text_columns %}
        nullif(trim(regexp_replace(replace({{ col }}, chr(160), ' '), '\s+', ' ', 'g')), '') as {{ col }},
        {%- endfor %}
        nullif(trim(criteria_txt), '') as criteria_txt,
        nullif(trim(category), '') as category,
        nullif(trim(category_short), '') as category_short,
        nullif(trim(states_name_en), '') as states_name_en,
        nullif(trim(states_name_fr), '') as states_name_fr,
        nullif(trim(region_en), '') as region_en,
        nullif(trim(region_fr), '') as region_fr,
        nullif(trim(danger_list), '') as danger_list,
        -- numerics
        {{ sd_try_cast("nullif(trim(longitude), '')", 'double') }} as longitude,
        {{ sd_try_cast("nullif(trim(latitude), '')", 'double') }} as latitude,
        {{ sd_try_cast("nullif(trim(area_hectares), '')", 'double') }} as area_ha,
        -- flags: criteria (i)-(vi) cultural, (vii)-(x) natural; danger; transboundary
        {%- for flag in ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'n7', 'n8', 'n9', 'n10'] %}
        trim({{ flag }}) = '1' as criterion_{{ flag }},
        {%- endfor %}
        trim(danger) = '1' as is_in_danger,
        trim(transboundary) = '1' as is_transboundary,
        -- dates: inscription year, later extension/modification years (text list), end of danger listing
        {{ sd_try_cast("nullif(trim(date_inscribed), '')", 'integer') }} as year_inscribed,
        nullif(trim(secondary_dates), '') as secondary_dates,
        nullif(trim(date_end), '') as date_end,
        _loaded_at
    from entities_unescaped
),

checked as (
    select
        *,
        -- the criteria text rebuilt from the ten flags must equal criteria_txt
        {%- set numerals = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'] %}
        {%- set flags = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'n7', 'n8', 'n9', 'n10'] %}
        coalesce(criteria_txt = concat(
            {%- for flag in flags %}
            case when criterion_{{ flag }} then '({{ numerals[loop.index0] }})' else '' end{{ ',' if not loop.last }}
            {%- endfor %}
        ), false) as criteria_flags_match,
        -- true when any text still holds a tag or an entity the unescaping did not know
        {{ sd_regexp_matches(
            "concat_ws(' ', " ~ text_columns | join(', ') ~ ")",
            "'<[A-Za-z/][^>]*>|&#?[A-Za-z0-9]+;'",
        ) }} as has_markup_residue
    from renamed
)

select * from checked

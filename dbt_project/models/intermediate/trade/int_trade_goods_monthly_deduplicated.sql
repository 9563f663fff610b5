-- Exports and imports of goods, one row per flow x item x month, from the staging rows that still
-- hold the repo parser's copies:
--   * exports "Dầu thô" (crude oil): 4 rows in most months (2 in 2014-01, 2018-05, 2018-06,
--     2020-10, 2020-11) - two copies of the FDI-sector sub-row ("of which crude oil", which with
--     "Hàng hoá khác" makes up the FDI sector) and two of the commodity row; the parser wrote them
--     under one name, so they cannot be told apart and are one item here;
--   * imports "Trong đó: Nguyên chiếc(*)" 2014-02..2014-04: exact copies (after the parent item
--     was attached in staging).
-- Copies are compared value by value. They "agree" when every published value is NULL in all of
-- them, or present in all of them and spread by at most GSO's rounding: 0.5 million USD for a value
-- (GSO prints some copies as whole millions: 935 vs 934.554) and 0.05 points for a growth rate
-- (GSO prints one decimal: -34.7 vs -34.736). Agreeing copies publish the first copy in the file's
-- order; copies that disagree publish NO value (all four NULL, status 'disagree' - checked by the
-- dataset's expectations), because picking one would be a guess. A -100 % growth next to a positive
-- value is impossible (it means the value fell to zero): it is the repo's artefact for a missing
-- index (all 2018-05 export rows) and is NULL.
with goods as (
    select * from {{ ref('stg_gso__exports_goods_monthly') }}
    union all
    select * from {{ ref('stg_gso__imports_goods_monthly') }}
),

ranked as (
    select
        *,
        row_number() over (partition by flow, item_vi, month_start order by source_row_order) as copy_number
    from goods
),

spread as (
    select
        flow,
        item_vi,
        month_start,
        count(*) as source_row_count,
        -- each value: all NULL, or all present and within rounding
        (count(value_month_usd_million) = 0
            or (count(value_month_usd_million) = count(*)
                and max(value_month_usd_million) - min(value_month_usd_million) <= 0.5)) as month_agree,
        (count(value_ytd_usd_million) = 0
            or (count(value_ytd_usd_million) = count(*)
                and max(value_ytd_usd_million) - min(value_ytd_usd_million) <= 0.5)) as ytd_agree,
        (count(growth_month_yoy_pct) = 0
            or (count(growth_month_yoy_pct) = count(*)
                and max(growth_month_yoy_pct) - min(growth_month_yoy_pct) <= 0.05)) as growth_month_agree,
        (count(growth_ytd_yoy_pct) = 0
            or (count(growth_ytd_yoy_pct) = count(*)
                and max(growth_ytd_yoy_pct) - min(growth_ytd_yoy_pct) <= 0.05)) as growth_ytd_agree,
        -- identical copies: the same four values (NULL-safe) in every copy
        count(distinct coalesce(cast(value_month_usd_million as varchar), '~')
            || '|' || coalesce(cast(value_ytd_usd_million as varchar), '~')
            || '|' || coalesce(cast(growth_month_yoy_pct as varchar), '~')
            || '|' || coalesce(cast(growth_ytd_yoy_pct as varchar), '~')) as distinct_versions
    from goods
    group by flow, item_vi, month_start
),

judged as (
    select
        r.*,
        s.source_row_count,
        case
            when s.source_row_count = 1 then 'single'
            when s.distinct_versions = 1 then 'identical'
            when s.month_agree and s.ytd_agree and s.growth_month_agree and s.growth_ytd_agree
                then 'agree_within_rounding'
            else 'disagree'
        end as source_copies_status
    from ranked as r
    inner join spread as s
        on s.flow = r.flow and s.item_vi = r.item_vi and s.month_start = r.month_start
    where r.copy_number = 1
)

select
    flow,
    item_vi,
    item_label_raw,
    parent_item_vi,
    is_of_which,
    month_start,
    release_date,
    source_row_count,
    source_copies_status,
    case when source_copies_status <> 'disagree' then value_month_usd_million end as value_month_usd_million,
    case when source_copies_status <> 'disagree' then value_ytd_usd_million end as value_ytd_usd_million,
    case
        when source_copies_status = 'disagree' then null
        when growth_month_yoy_pct <= -100 and value_month_usd_million > 0 then null
        else growth_month_yoy_pct
    end as growth_month_yoy_pct,
    case
        when source_copies_status = 'disagree' then null
        when growth_ytd_yoy_pct <= -100 and value_ytd_usd_million > 0 then null
        else growth_ytd_yoy_pct
    end as growth_ytd_yoy_pct,
    (growth_ytd_yoy_pct <= -100 and value_ytd_usd_million > 0)
        or (growth_month_yoy_pct <= -100 and value_month_usd_million > 0) as growth_artefact_nulled,
    _loaded_at
from judged

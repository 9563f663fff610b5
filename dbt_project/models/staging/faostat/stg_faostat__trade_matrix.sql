-- FAOSTAT Detailed Trade Matrix, Viet Nam as reporter: one row per partner x item x flow x year.
-- Handled here: Viet Nam's rows with "NA" -> NULL (shared first step, macros/faostat.sql); the
-- element is split into a flow (export / import); the "1000 USD" scale factor is applied so the
-- value is in US dollars (a unit not seen before gives a NULL value_usd and fails the not_null
-- test instead of being mis-scaled). The matrix stays sparse: a partner x item x year that is
-- absent upstream is absent here, never a zero row.
with renamed as (
    {{ faostat_viet_nam_rows(
        'trade_matrix',
        country_prefix='reporter',
        columns={
            'partner_iso3': 'isop',
            'partner_name': 'partner',
            'item_group': 'cpc_name1',
            'item_name': 'item',
            'element': 'element',
            'unit_raw': 'unit',
        },
    ) }}
),

cleaned as (
    select
        reporter_iso3,
        partner_iso3,
        reporter_name,
        partner_name,
        item_group,
        item_name,
        element,
        case element
            when 'Export value' then 'export'
            when 'Import value' then 'import'
        end as flow,
        unit_raw,
        case unit_raw
            when '1000 USD' then value_raw * 1000
            when 'USD' then value_raw
        end as value_usd,
        year,
        _loaded_at
    from renamed
)

select * from cleaned

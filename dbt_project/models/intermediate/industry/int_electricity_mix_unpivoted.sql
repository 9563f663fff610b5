-- Electricity generation mix of Viet Nam, one row per year x generation source, from the wide
-- OWID row (one column per source and unit). Each source contributes its TWh, its share of
-- generation (%) and its kWh per person side by side, so the three units never share a column.
-- Components (coal ... other renewables) sum to total generation; the three groups (fossil
-- fuels, renewables, low carbon) are sums of components and flagged is_aggregate, so a sum over
-- all rows would double count. "Other renewables including bioenergy" is not carried over (it is
-- bioenergy + other renewables). Year x source pairs with neither TWh nor share are dropped
-- (e.g. coal before 1985): absent, not zero.
{%- set sources = [
    ('coal', 'Coal', 'Than', 'fossil', false),
    ('oil', 'Oil', 'Dầu', 'fossil', false),
    ('gas', 'Gas', 'Khí', 'fossil', false),
    ('nuclear', 'Nuclear', 'Hạt nhân', 'nuclear', false),
    ('hydro', 'Hydropower', 'Thủy điện', 'renewable', false),
    ('solar', 'Solar', 'Điện mặt trời', 'renewable', false),
    ('wind', 'Wind', 'Điện gió', 'renewable', false),
    ('bioenergy', 'Bioenergy', 'Năng lượng sinh khối', 'renewable', false),
    ('other_renewables', 'Other renewables (excl. bioenergy)', 'Năng lượng tái tạo khác (không gồm sinh khối)', 'renewable', false),
    ('fossil_fuels', 'Fossil fuels (coal, oil, gas)', 'Nhiên liệu hóa thạch (than, dầu, khí)', 'fossil', true),
    ('renewables', 'Renewables (hydro, solar, wind, bioenergy, other)', 'Năng lượng tái tạo (thủy điện, mặt trời, gió, sinh khối, khác)', 'renewable', true),
    ('low_carbon', 'Low-carbon (renewables and nuclear)', 'Phát thải carbon thấp (tái tạo và hạt nhân)', 'low_carbon', true),
] %}
with mix as (
    select * from {{ ref('stg_owid__electricity_mix') }}
),

unpivoted as (
    {%- for code, name_en, name_vi, source_group, is_aggregate in sources %}
    select
        -- ids
        year,
        '{{ code }}' as source_code,
        -- strings
        '{{ name_en }}' as source_name_en,
        '{{ name_vi }}' as source_name_vi,
        '{{ source_group }}' as source_group,
        {{ is_aggregate }} as is_aggregate,
        -- numerics
        generation_{{ code }}_twh as generation_twh,
        share_{{ code }}_pct as share_of_generation_pct,
        per_capita_{{ code }}_kwh as generation_per_capita_kwh
    from mix
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select *
from unpivoted
where generation_twh is not null
    or share_of_generation_pct is not null

-- UNWTO inbound tourist arrivals, one row per year. The source repeats every year under two
-- joined country names ("Viet Nam", "Vietnam"); the copies are merged here and compared: when
-- they agree the common value is kept, when they disagree tourist_arrivals is NULL and
-- source_values_agree is false, so the mart's tests and quality suite stop the dataset instead
-- of silently picking one of the two numbers.
with arrivals as (
    select * from {{ ref('stg_owid__inbound_tourist_arrivals') }}
),

merged as (
    select
        -- dates
        year,
        -- numerics
        count(*) as source_row_count,
        count(distinct tourist_arrivals) as distinct_value_count,
        min(tourist_arrivals) as min_tourist_arrivals,
        max(tourist_arrivals) as max_tourist_arrivals,
        -- strings
        string_agg(joined_country_name, '; ' order by joined_country_name) as joined_country_names
    from arrivals
    where country_iso3 = 'VNM'
    group by year
),

final as (
    select
        year,
        source_row_count,
        joined_country_names,
        -- all copies carry one and the same non-null value
        (distinct_value_count = 1 and min_tourist_arrivals = max_tourist_arrivals) as source_values_agree,
        case
            when distinct_value_count = 1 then min_tourist_arrivals
        end as tourist_arrivals,
        min_tourist_arrivals,
        max_tourist_arrivals
    from merged
)

select * from final

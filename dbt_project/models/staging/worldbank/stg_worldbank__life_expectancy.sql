{{ worldbank_indicator_staging('life_expectancy') }}

{{ worldbank_indicator_staging('adult_literacy') }}

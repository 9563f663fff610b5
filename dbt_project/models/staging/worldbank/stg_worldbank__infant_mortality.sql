{{ worldbank_indicator_staging('infant_mortality') }}

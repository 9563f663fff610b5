{{ worldbank_indicator_staging('under5_mortality') }}

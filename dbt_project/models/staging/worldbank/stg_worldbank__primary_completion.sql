{{ worldbank_indicator_staging('primary_completion') }}

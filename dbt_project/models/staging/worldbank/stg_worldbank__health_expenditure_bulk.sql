{{ worldbank_bulk_csv_staging('health_expenditure_bulk') }}

-- GSO monthly statistical tables, passengers transport table, typed (layout shared with the
-- freight table: macros/gso_transport.sql).
{{ gso_monthly_transport_staging('monthly_transport_passengers', 'passengers') }}

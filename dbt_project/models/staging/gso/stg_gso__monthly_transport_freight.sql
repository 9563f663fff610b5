-- GSO monthly statistical tables, freight transport table, typed (layout shared with the
-- passengers table: macros/gso_transport.sql).
{{ gso_monthly_transport_staging('monthly_transport_freight', 'freight') }}

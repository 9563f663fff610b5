-- EG.USE.PCAP.KG.OE energy use (kg of oil equivalent per capita), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('energy_use_per_capita') }}

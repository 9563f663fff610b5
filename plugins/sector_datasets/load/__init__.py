"""Load: landed payloads → ``raw.<source_id>`` tables, every value as text (:mod:`.raw`)."""

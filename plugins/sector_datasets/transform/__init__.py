"""Transform:

One ``dbt build`` of a sector's marts into the audit schema (:mod:`.build`), dbt run in process
with the parsed project kept (:mod:`.dbt_runner`).
"""

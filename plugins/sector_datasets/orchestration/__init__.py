"""Orchestration on top of the stages:

The stage entry points (:mod:`.stages`) every caller uses, the DAG factory, the dag batch of
``cli run``, the in-process runner, and the Airflow/Celery configuration.
"""

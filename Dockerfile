# Production image: the official Airflow image plus this project's pinned requirements and code.
FROM apache/airflow:3.3.2-python3.11
USER airflow
COPY --chown=airflow:0 requirements.txt /opt/sector-datasets/requirements.txt
RUN pip install --no-cache-dir -r /opt/sector-datasets/requirements.txt
COPY --chown=airflow:0 dags /opt/airflow/dags
COPY --chown=airflow:0 plugins /opt/airflow/plugins
COPY --chown=airflow:0 include /opt/sector-datasets/include
COPY --chown=airflow:0 dbt_project /opt/sector-datasets/dbt_project
COPY --chown=airflow:0 expectations /opt/sector-datasets/expectations
ENV PYTHONPATH=/opt/airflow/plugins

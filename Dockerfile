# Production image: the official Airflow image plus this project's pinned requirements and code.
# The project keeps its repository layout under one root, /opt/sector-datasets: the package finds
# dbt_project/, expectations/ and include/ next to plugins/ (settings.REPO_ROOT), as in a checkout.
FROM apache/airflow:3.3.2-python3.11
USER airflow
COPY --chown=airflow:0 requirements.txt /opt/sector-datasets/requirements.txt
RUN pip install --no-cache-dir -r /opt/sector-datasets/requirements.txt
COPY --chown=airflow:0 dags /opt/sector-datasets/dags
COPY --chown=airflow:0 plugins /opt/sector-datasets/plugins
COPY --chown=airflow:0 include /opt/sector-datasets/include
COPY --chown=airflow:0 dbt_project /opt/sector-datasets/dbt_project
COPY --chown=airflow:0 expectations /opt/sector-datasets/expectations
ENV PYTHONPATH=/opt/sector-datasets/plugins \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/sector-datasets/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/sector-datasets/plugins

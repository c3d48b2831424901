# Debian 12 (bookworm): its postgresql-client is 15, the version of the database service; a newer pg_dump writes
# archives and SET statements that PostgreSQL 15 restores badly.
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# postgresql-client: pg_dump and pg_restore for `manage.py backup` / `restore` (15, as the database in compose).
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc gettext postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
 && DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=false python manage.py collectstatic --noinput -v0
# /backups and /app/media exist, owned by the app's user, so the named volumes mounted there are writable by it.
RUN useradd --create-home regional && mkdir -p /backups /app/media && chown -R regional /app /backups
USER regional
EXPOSE 8000

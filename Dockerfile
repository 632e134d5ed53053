# focuspolicy production image: gunicorn serving Django (static files through whitenoise).
# The same image runs the Celery worker and beat (see docker-compose.yml).
# Debian 12 (bookworm): its PostgreSQL client tools are version 15, as the server (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=focuspolicy.settings.production

WORKDIR /app

# WeasyPrint (PDF letters and review packs) draws text with Pango; DejaVu gives it a font. pg_dump and
# pg_restore (PostgreSQL 15, Debian's) are for manage.py backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Production settings refuse to load without these; these values exist only for this build step.
RUN SECRET_KEY=collectstatic-build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS='*' SITE_URL=http://build \
        python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# Without an object store (AWS_STORAGE_BUCKET_NAME), uploaded evidence (MEDIA_ROOT) goes to /app/var/uploads:
# mount a volume there. It is created owned by the app user so that a fresh named volume inherits that.
RUN useradd --system --create-home --uid 1000 --user-group focuspolicy \
    && mkdir -p /app/var/uploads \
    && chown -R focuspolicy:focuspolicy /app/var

USER focuspolicy

EXPOSE 8000
# Threaded workers: a long streamed export is not killed at --timeout (see docker-compose.yml).
# gunicorn.conf.py: no log keeps a client's address or user agent (README.md, "Anonymous reporting").
CMD ["gunicorn", "focuspolicy.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--threads", "4"]

# Production image: gunicorn for web, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY advocacy advocacy
COPY social social
COPY content_library content_library
COPY campaigns campaigns
COPY analytics analytics
COPY recognition recognition
COPY surveys surveys
RUN pip install --no-cache-dir .

COPY . .
RUN SECRET_KEY=build ALLOWED_HOSTS=build SOCIAL_TOKEN_KEYS=ZmFrZS1rZXktZm9yLWJ1aWxkLW9ubHktMDAwMDAwMDA= \
    python manage.py compile_catalogs && \
    SECRET_KEY=build ALLOWED_HOSTS=build SOCIAL_TOKEN_KEYS=ZmFrZS1rZXktZm9yLWJ1aWxkLW9ubHktMDAwMDAwMDA= \
    python manage.py collectstatic --noinput

RUN useradd --create-home chorus && mkdir -p /app/var && chown -R chorus /app/var
USER chorus
EXPOSE 8000
CMD ["gunicorn", "advocacy.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]

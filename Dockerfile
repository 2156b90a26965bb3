# One image for every process of the product: web (uvicorn), Celery worker and beat, and the
# one-off `migrate` of a deploy (Procfile, compose.yaml, docs/operations.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LOG_FORMAT=json \
    CELERY_DATA_DIR=/app/var/celery

# A CJK font for the PDF certificates' and the charts' Chinese text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first (pyproject.toml lists them; the code itself runs from /app), so a code
# change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .

# Static files into the image (whitenoise serves them, hashed). Settings refuse to load without
# secrets, so the build passes throwaway values that never reach a running container.
RUN DEBUG=0 \
    SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM= \
    CONFLICT_HASH_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    ALLOWED_HOSTS=localhost \
    PUBLIC_SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; only var/ (the embedded broker's folders, beat's schedule) is writable.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin legalaid \
    && mkdir -p /app/var/celery /app/var/documents \
    && chown -R legalaid:legalaid /app/var
USER legalaid

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["sh", "-c", "exec uvicorn marketplace.asgi:application --host 0.0.0.0 --port ${PORT:-8000} --workers ${WEB_CONCURRENCY:-4} --ws websockets-sansio --proxy-headers --forwarded-allow-ips '*'"]

FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY newsroom ./newsroom
COPY articles ./articles
COPY media ./media
COPY changes ./changes
COPY edge ./edge
COPY webhooks ./webhooks
COPY authors ./authors
COPY corrections ./corrections
COPY feeds ./feeds
COPY sitemaps ./sitemaps
COPY manage.py ./
RUN pip install --no-cache-dir . \
    && DEBUG=1 python manage.py collectstatic --noinput \
    && useradd --create-home newsroom && mkdir -p /data/media && chown newsroom /data/media
USER newsroom
EXPOSE 8000
# Migrations run before the server starts; WhiteNoise serves the static files collected at build time.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn newsroom.wsgi:application --bind 0.0.0.0:8000 --workers 3"]

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Exactly the versions (and files, by hash) of requirements.lock: `make lock` remakes it.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
# collectstatic needs settings to load; the key is thrown away with this layer.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0 \
    && useradd --create-home --uid 1000 blog \
    && mkdir -p /app/media && chown blog /app/media

USER blog
EXPOSE 8000
# The web server only: migrations are compose's one-off `migrate` service, run once
# before any web or worker container starts (so `--scale web=4` runs them once).
# gunicorn trusts no proxy's X-Forwarded-Proto itself (--forwarded-allow-ips=): the
# app alone decides, from TRUSTED_PROXIES, so the two can never disagree.
CMD ["sh", "-c", "exec gunicorn config.wsgi --bind 0.0.0.0:8000 --forwarded-allow-ips= --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]

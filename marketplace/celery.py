"""The Celery app: the project's background engine (docs/notices.md).

Embedded default (``make run``, no extra service): kombu's ``filesystem://`` broker, folders under
``CELERY_DATA_DIR``; production: Redis (``CELERY_BROKER_URL``, else ``REDIS_URL``). Run a worker with
its scheduler: ``celery -A marketplace worker -B -l info`` (one ``-B`` per deployment; several plain
workers may run beside it: every periodic job is idempotent).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

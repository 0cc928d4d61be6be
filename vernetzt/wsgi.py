"""WSGI entry point for production servers (gunicorn vernetzt.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vernetzt.settings")

application = get_wsgi_application()

# What is loaded now (Django, the apps, every view through the URLconf: about 180,000 objects) lives as
# long as the worker. Frozen, the garbage collector no longer walks it in every full collection: a page
# that makes many objects (the workspace's start page) triggered one every request or two, 20–40 ms each.
get_resolver().url_patterns  # noqa: B018 (reading them imports every view)
gc.freeze()

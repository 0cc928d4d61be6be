"""Settings for the test suite: the real settings with fast hashing, mail kept in memory and tasks run at once."""

import os

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}  # noqa: F405
# pytest-xdist runs the suite in several processes: each keeps its files apart (tests look at every stored file).
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = VAR_DIR / f"test-media-{TEST_WORKER}"  # noqa: F405
BACKUP_DIR = VAR_DIR / f"test-backups-{TEST_WORKER}"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test process keeps its own cache in memory; tests/conftest.py empties it before each test.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# The API's rate limits are far away in tests; tests of the limits set their own.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "write": "100000/minute"},
}

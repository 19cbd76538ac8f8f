"""Settings for the test suite: the real settings with generated, throw-away keys."""

import os

from cryptography.fernet import Fernet

os.environ.setdefault("INBEELD_SECRET_KEY", "test-only-secret-key-" + Fernet.generate_key().decode())
os.environ.setdefault(
    "INBEELD_FIELD_KEYS", ",".join([Fernet.generate_key().decode(), Fernet.generate_key().decode()])
)
os.environ.setdefault("INBEELD_BLIND_INDEX_KEY", Fernet.generate_key().decode())
os.environ.setdefault("INBEELD_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("INBEELD_SECURE_COOKIES", "0")

from inbeeld.settings import *  # noqa: F403

# Tests render templates without a collectstatic run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

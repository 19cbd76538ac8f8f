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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile
    from pathlib import Path as _Path

    # A file, not memory: concurrency tests need separate connections that see each other's commits.
    _test_db = _Path(tempfile.gettempdir()) / f"inbeeld-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}  # noqa: F405

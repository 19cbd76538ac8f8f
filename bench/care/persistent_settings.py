"""What-if settings for the load test only (``--variants``), not for production: ``inbeeld.settings``
with persistent database connections (``CONN_MAX_AGE``), to show what that one change would give.
Everything else, including every INBEELD_* variable, is read exactly as by ``inbeeld.settings``.
"""

from inbeeld.settings import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

"""What the shelter plugs into other apps' registries (radar sources, the timeline, person-page sections).

Each module registers itself on import; AppConfig.ready imports this one.
"""

from inbeeld.shelter import registrations_stays  # noqa: F401

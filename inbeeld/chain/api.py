"""The chain's API: partner services and HSDS export, episodes, emergency access, transfers of lead."""

from inbeeld.chain.api_services import router as services_router
from inbeeld.chain.emergency.api import router as emergency_router
from inbeeld.chain.episodes.api import router as episodes_router
from inbeeld.chain.referrals.api import router as referrals_router
from inbeeld.chain.transfers.api import router as transfers_router

routers = [services_router, episodes_router, emergency_router, transfers_router, referrals_router]

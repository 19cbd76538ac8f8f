"""The chain's API: the partner services directory and its HSDS export (``api_services``)."""

from inbeeld.chain.api_services import router as services_router

routers = [services_router]

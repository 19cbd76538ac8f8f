from ninja import NinjaAPI

api = NinjaAPI(title="Inbeeld API", version="1", urls_namespace="api")

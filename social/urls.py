"""Social networks: pages under /o/<org_slug>/."""

app_name = "social"
urlpatterns: list = []

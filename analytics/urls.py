"""Analytics: pages under /o/<org_slug>/."""

app_name = "analytics"
urlpatterns: list = []

"""Campaigns and sharing: pages under /o/<org_slug>/."""

app_name = "campaigns"
urlpatterns: list = []

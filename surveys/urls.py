"""Pulse surveys: pages under /o/<org_slug>/."""

app_name = "surveys"
urlpatterns: list = []

"""Content library: pages under /o/<org_slug>/."""

app_name = "content_library"
urlpatterns: list = []

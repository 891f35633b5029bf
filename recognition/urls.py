"""Recognition and rewards: pages under /o/<org_slug>/."""

app_name = "recognition"
urlpatterns: list = []

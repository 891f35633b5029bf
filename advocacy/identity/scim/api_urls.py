"""Mounted at /scim/v2/orgs/<org_slug>/ by the wiring."""

from django.urls import path, re_path

from .api import scim_endpoint

urlpatterns = [
    path("", scim_endpoint, name="scim-root"),
    re_path(r"^(?P<path>.+)$", scim_endpoint, name="scim"),
]

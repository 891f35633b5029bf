"""Campaigns' few public endpoints (outside an organization): the digest e-mail's links."""

from django.urls import include, path

urlpatterns = [
    path("", include("campaigns.digests.public_urls")),
]

"""Digest pages under /o/<org_slug>/, in the campaigns namespace (included by campaigns/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("digest/", views.DigestPreferencesView.as_view(), name="digest_preferences"),
    path("sharing/digests/", views.DigestAdminView.as_view(), name="digest_admin"),
]

"""The digest e-mail's links: they work without signing in; the signed token names the member."""

from django.urls import path

from . import public_views

urlpatterns = [
    path(
        "digest/unsubscribe/<str:token>/",
        public_views.unsubscribe,
        name="digest_unsubscribe",
    ),
    path(
        "digest/share/<str:token>/<str:channel>/",
        public_views.share,
        name="digest_share",
    ),
]

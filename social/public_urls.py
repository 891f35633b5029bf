"""The OAuth callback: one URL per network for every organization."""

from django.urls import path

from . import views

urlpatterns = [
    path("social/callback/<str:network>/", views.oauth_callback, name="social_callback"),
]

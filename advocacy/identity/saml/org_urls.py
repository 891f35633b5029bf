from django.urls import path

from . import settings_views

app_name = "identity_saml"

urlpatterns = [
    path("settings/saml/", settings_views.SamlSettingsView.as_view(), name="settings"),
]

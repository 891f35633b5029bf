from django.urls import path

from . import settings_views

app_name = "identity_saml"

urlpatterns = [
    path("settings/saml/", settings_views.SamlSettingsView.as_view(), name="settings"),
    path(
        "settings/saml/status/",
        settings_views.SamlMetadataStatusView.as_view(),
        name="metadata_status",
    ),
]

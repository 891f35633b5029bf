from django.urls import path

from . import views

app_name = "identity_scim"
urlpatterns = [
    path("settings/scim/", views.ScimSettingsView.as_view(), name="settings"),
    path(
        "settings/scim/tokens/<int:pk>/revoke/",
        views.ScimTokenRevokeView.as_view(),
        name="token_revoke",
    ),
]

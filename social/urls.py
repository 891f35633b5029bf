"""Social networks: pages under /o/<org_slug>/."""

from django.urls import path

from . import prompts, views

app_name = "social"
urlpatterns = [
    path("connections/", views.ConnectionsView.as_view(), name="connections"),
    path("connections/health/", views.HealthView.as_view(), name="health"),
    path("connections/connect/<str:network>/", views.ConnectView.as_view(), name="connect"),
    path("connections/attempts/<int:pk>/", views.AttemptView.as_view(), name="attempt"),
    path(
        "connections/attempts/<int:pk>/status/",
        views.AttemptStatusView.as_view(),
        name="attempt_status",
    ),
    path("connections/<int:pk>/disconnect/", views.DisconnectView.as_view(), name="disconnect"),
    path("connections/expiry-prompt/", prompts.ExpiryPromptView.as_view(), name="expiry_prompt"),
]

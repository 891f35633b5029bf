from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("me/data/", views.MyDataView.as_view(), name="my_data"),
    path("me/data/exports/<int:pk>/", views.ExportStatusView.as_view(), name="export_status"),
    path(
        "me/data/exports/<int:pk>/download/",
        views.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("me/delete/", views.AccountDeleteView.as_view(), name="account_delete"),
    path("privacy/", views.OrganizationDataView.as_view(), name="organization"),
]

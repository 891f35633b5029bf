from django.urls import path

from . import org_views

app_name = "tenancy"
urlpatterns = [
    path("", org_views.OrganizationHomeView.as_view(), name="org_home"),
]

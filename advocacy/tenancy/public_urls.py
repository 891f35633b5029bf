from django.urls import path

from . import public_views

urlpatterns = [
    path("sso-required/", public_views.sso_required, name="sso_required"),
    path("", public_views.home, name="home"),
    path(
        "organizations/new/",
        public_views.OrganizationCreateView.as_view(),
        name="organization_create",
    ),
    path(
        "invitations/<str:token>/",
        public_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]

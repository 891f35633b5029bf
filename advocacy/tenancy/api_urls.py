from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api_views

router = SimpleRouter()
router.register("members", api_views.MembershipViewSet, basename="member")
router.register("teams", api_views.TeamViewSet, basename="team")
router.register("invitations", api_views.InvitationViewSet, basename="invitation")
router.register("people/imports", api_views.ImportJobViewSet, basename="import-job")

urlpatterns = [
    path("", api_views.OrganizationView.as_view(), name="api-organization"),
    *router.urls,
]

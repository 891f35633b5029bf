from django.urls import path

from . import org_views, people_views

app_name = "tenancy"
urlpatterns = [
    path("", org_views.OrganizationHomeView.as_view(), name="org_home"),
    path("people/", people_views.DirectoryView.as_view(), name="directory"),
    path("people/export.csv", people_views.DirectoryExportView.as_view(), name="directory_export"),
    path("people/<int:pk>/", people_views.MemberProfileView.as_view(), name="member"),
    path("people/<int:pk>/edit/", people_views.MemberEditView.as_view(), name="member_edit"),
    path("people/teams/", people_views.TeamListView.as_view(), name="teams"),
    path("people/invitations/", people_views.InvitationListView.as_view(), name="invitations"),
    path(
        "people/invitations/<int:pk>/resend/",
        people_views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path(
        "people/invitations/<int:pk>/revoke/",
        people_views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path("people/import/", people_views.DirectoryImportView.as_view(), name="import"),
    path("people/import/<int:pk>/", people_views.ImportJobView.as_view(), name="import_job"),
    path("settings/", people_views.OrganizationSettingsView.as_view(), name="settings"),
    path("logo/", people_views.OrganizationLogoView.as_view(), name="logo"),
]

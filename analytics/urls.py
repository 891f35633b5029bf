"""Analytics: pages under /o/<org_slug>/."""

from django.urls import path

from analytics import settings_views
from analytics.dashboards import views as dashboard_views

app_name = "analytics"
urlpatterns = [
    path("analytics/", dashboard_views.OverviewView.as_view(), name="overview"),
    path("analytics/value/", dashboard_views.ValueView.as_view(), name="value"),
    path("analytics/benchmarks/", dashboard_views.BenchmarksView.as_view(), name="benchmarks"),
    path("analytics/trends/", dashboard_views.TrendsView.as_view(), name="trends"),
    path("analytics/campaigns/", dashboard_views.CampaignReportView.as_view(), name="campaigns"),
    path("analytics/content/", dashboard_views.ContentView.as_view(), name="content"),
    path("analytics/team/", dashboard_views.TeamView.as_view(), name="team"),
    path("analytics/me/", dashboard_views.PersonalView.as_view(), name="me"),
    path("analytics/settings/", settings_views.AnalyticsSettingsView.as_view(), name="settings"),
]

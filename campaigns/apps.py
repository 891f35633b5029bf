from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns and sharing")
    nav_label = _("Sharing")
    # The in-app prompt for posts only their employee can confirm (advocacy.tenancy.navigation).
    page_prompts = ["campaigns:check_prompt"]
    # Indexes that deliberately do not start with organization, and why.
    global_lookup_indexes = {
        "trackedlink_code": "GET /r/<code> resolves a code before any organization is known",
        "share_due_any_org": "the every-minute publisher finds due shares of every organization at once",
    }

    @property
    def home_figures(self):
        from advocacy.tenancy.navigation import HomeFigure

        return [
            HomeFigure(
                "shares_week",
                _("Shares this week"),
                "campaigns.home:shares_this_week",
                url_name="campaigns:campaign_list",
                icon="send",
                order=10,
            ),
            HomeFigure(
                "participation_week",
                _("People who shared this week"),
                "campaigns.home:participation_this_week",
                url_name="tenancy:directory",
                icon="people",
                order=30,
                kind="rate",
            ),
        ]

    @property
    def onboarding_steps(self):
        from advocacy.tenancy.navigation import OnboardingStep

        return [OnboardingStep("launch_campaign", _("Launch a first campaign"), order=40)]

    def ready(self) -> None:
        # Role sets live beside the models, which only exist once apps are loaded.
        from advocacy.tenancy.navigation import NavItem
        from advocacy.tenancy.permissions import ADMINS, CURATORS, EVERYONE

        self.navigation = [
            NavItem(
                "campaigns:feed",
                _("Share"),
                "megaphone",
                EVERYONE,
                order=10,
                landing_for=frozenset({"employee"}),
            ),
            NavItem("campaigns:my_shares", _("My shares"), "send-check", EVERYONE, order=12),
            NavItem("campaigns:campaign_list", _("Campaigns"), "flag", CURATORS, order=30),
            NavItem(
                "campaigns:failed_shares",
                _("Failed shares"),
                "exclamation-triangle",
                ADMINS,
                order=80,
            ),
            NavItem("campaigns:settings", _("Sharing settings"), "sliders", ADMINS, order=90),
        ]
        from . import handlers  # noqa: F401  (registers the event subscriptions)

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        return {
            "campaigns-publish-due-shares": {
                "task": "campaigns.publish_due_shares",
                "schedule": 60.0,
            },
            "campaigns-advance-statuses": {
                "task": "campaigns.advance_campaign_statuses",
                "schedule": 60.0,
            },
        }

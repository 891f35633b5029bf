from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = _("Social networks")
    nav_label = _("Connections")
    # Chorus's own app registrations (a Mastodon instance's client, X refusing reads to a
    # client id) are facts about the platform's app, shared by every organization.
    global_models = ("social.mastodoninstanceapp", "social.appreadsrefused")
    # The notice on every page about connections whose access ends soon (social/prompts.py).
    page_prompts = ["social:expiry_prompt"]

    @property
    def home_figures(self):
        from advocacy.tenancy.navigation import HomeFigure

        return [
            HomeFigure(
                "connections_attention",
                _("Connections expiring or broken"),
                "social.home:connections_needing_attention",
                url_name="social:health",
                icon="plug",
                order=50,
                attention=True,
                next_step=_("Remind the people whose connections expire to reconnect."),
            ),
        ]

    @property
    def onboarding_steps(self):
        from advocacy.tenancy.navigation import OnboardingStep

        return [OnboardingStep("connect_network", _("Connect a social network"), order=30)]

    def ready(self) -> None:
        from advocacy.tenancy.navigation import NavItem
        from advocacy.tenancy.permissions import ADMINS, EVERYONE
        from social import production  # registers the network check

        # Loopback/sandbox URLs or insecure OAuth in production stop startup here.
        production.enforce()

        from social import keycheck

        # Token keys that read no stored token pause work as "configuration" (keycheck.py).
        keycheck.connect()

        from . import handlers  # noqa: F401  (registers the event subscriptions)

        self.navigation = [
            NavItem("social:connections", _("Connections"), "link-45deg", EVERYONE, order=60),
            NavItem("social:health", _("Connection health"), "heart-pulse", ADMINS, order=85),
        ]

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        return {
            "social-warn-expiring-connections": {
                "task": "social.warn_expiring_connections",
                "schedule": 6 * 3600.0,
            },
            "social-reconcile-unknown-publications": {
                "task": "social.reconcile_unknown_publications",
                "schedule": 300.0,
            },
        }

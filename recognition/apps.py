from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.navigation import NavItem
from advocacy.tenancy.permissions import ADMINS, EVERYONE, MANAGERS


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Recognition and rewards")
    nav_label = _("Recognition")
    navigation = [
        NavItem("recognition:feed", _("Recognition"), "stars", EVERYONE, order=60),
        NavItem("recognition:leaderboards", _("Leaderboards"), "trophy", EVERYONE, order=61),
        NavItem("recognition:rewards", _("Rewards"), "gift", EVERYONE, order=62),
        NavItem("recognition:leaders", _("Thank advocates"), "envelope-heart", MANAGERS, order=63),
        NavItem("recognition:admin", _("Recognition admin"), "sliders", ADMINS, order=64),
    ]

    def ready(self) -> None:

        from . import handlers  # noqa: F401  (registers the event subscriptions)

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        from celery.schedules import crontab

        return {
            "recognition-monthly-newsletters": {
                "task": "recognition.monthly_newsletters",
                "schedule": crontab(minute=0, hour=7, day_of_month=1),
            },
            # Hourly, so each organization's rounds roll over soon after its own midnight.
            "recognition-recurring-awards": {
                "task": "recognition.recurring_awards",
                "schedule": crontab(minute=5),
            },
        }

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "campaigns.digests"
    label = "digests"
    verbose_name = _("Content digests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from advocacy.tenancy.navigation import NavItem
        from advocacy.tenancy.permissions import ADMINS, EVERYONE

        self.navigation = [
            NavItem(
                "campaigns:digest_preferences", _("E-mail digest"), "envelope", EVERYONE, order=14
            ),
            NavItem(
                "campaigns:digest_admin", _("Content digests"), "envelope-paper", ADMINS, order=91
            ),
        ]

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        return {
            "digests-send-due": {"task": "digests.send_due", "schedule": 3600.0},
        }

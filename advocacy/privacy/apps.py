from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.navigation import NavItem
from advocacy.tenancy.permissions import EVERYONE, OWNERS


class PrivacyConfig(AppConfig):
    name = "advocacy.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    nav_label = _("Organization")
    navigation = [
        NavItem("privacy:my_data", _("My data"), "person-lock", EVERYONE, order=97),
        NavItem("privacy:organization", _("Organization data"), "database-lock", OWNERS, order=98),
    ]

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        return {
            "privacy-delete-scheduled-organizations": {
                "task": "privacy.organization_deletions_due",
                "schedule": 3600.0,
            },
            "privacy-expire-data-exports": {
                "task": "privacy.exports_expire",
                "schedule": 3600.0,
            },
        }

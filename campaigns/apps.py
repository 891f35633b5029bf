from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns and sharing")
    # Indexes that deliberately do not start with organization, and why.
    global_lookup_indexes = {
        "trackedlink_code": "GET /r/<code> resolves a code before any organization is known",
    }

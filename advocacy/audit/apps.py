from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.navigation import NavItem
from advocacy.tenancy.permissions import ADMINS


class AuditConfig(AppConfig):
    name = "advocacy.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    nav_label = _("Organization")
    navigation = [NavItem("audit:trail", _("Audit trail"), "journal-text", ADMINS, order=96)]

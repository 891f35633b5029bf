from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.navigation import NavItem
from advocacy.tenancy.permissions import OWNERS


class IdentityConfig(AppConfig):
    name = "advocacy.identity"
    label = "identity"
    verbose_name = _("Enterprise identity")
    nav_label = _("Organization")
    navigation = [
        NavItem("identity_scim:settings", _("SCIM provisioning"), "people", OWNERS, order=97),
        NavItem("identity_saml:settings", _("SAML single sign-on"), "people", OWNERS, order=98),
    ]

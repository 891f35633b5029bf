"""What the isolation probe needs to know that it cannot work out itself.

Every app may extend these (import this module in your tests package and add
to the dicts); nothing here should be needed for an ordinary model or route:

- FACTORIES: how to make one row of a model for an organization, when the
  generic builder below cannot (check constraints, files, unusual fields).
  A builder takes (organization, marker) and returns a saved row; put
  `marker` in a text field that list pages show, so a leak is visible.
- PARAM_SAMPLES: a valid value for a URL parameter that is not an object id
  (`<str:decision>` → "approve"), so the view gets as far as its lookup.
- ROUTE_MODELS: which model a page's id parameter names, for pages that do
  not fetch it through `OrgView.get_org_object` (prefer fixing the view).
- PUBLIC_ROUTES: routes outside any organization, each with the reason it is
  safe to leave out of the probe. A route under /o/<slug>/ or the org API
  that the probe cannot exercise must be listed here too, with the reason.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Membership, Organization, TenantModel

FACTORIES: dict[str, Callable[[Organization, str], models.Model]] = {}

PARAM_SAMPLES: dict[str, str] = {
    "decision": "approve",
    "channel": "linkedin",
    "which": "shared",
    "network": "linkedin",
}

# For a page that reads its object through a selector instead of OrgView.get_org_object,
# which model each id parameter names: {route regex: {parameter: "app_label.Model"}}.
ROUTE_MODELS: dict[str, dict[str, str]] = {
    r"^o/<slug:org_slug>/share/<int:content_id>/": {"content_id": "content_library.ContentItem"},
}

PUBLIC_ROUTES: dict[str, str] = {
    r"^healthz$": "liveness for load balancers; reads no tenant data",
    r"^admin/": "platform staff only (is_staff), audited system context in OrganizationMiddleware",
    r"^accounts/": "allauth sign-in, sign-up, password and MFA pages; global user data only",
    r"^i18n/setlang/$": "language switch; writes the person's own preference",
    r"^api/schema/$": "the OpenAPI document; no data",
    r"^api/docs/$": "Swagger UI over the schema; no data",
    r"^$": "redirects to one of the signed-in person's own organizations",
    r"^organizations/new/$": "creates a new organization owned by the signed-in person",
    r"^sso-required/$": "explains that the person's organization requires single sign-on; reads no tenant data",
    r"^invitations/<str:token>/$": "the token names its organization and is checked by hash; tests/tenancy/test_invitations.py",
    r"^\^media/": "uploaded files in development (DEBUG) only; production serves media elsewhere",
    r"^social/callback/": "OAuth redirect back from a network; state ties it to the person's own pending connection",
    r"^\^r/": "tracked-link redirect; the code resolves to a stored link only",
    r"^t/p\.gif$": "conversion pixel; keyed by a per-organization public key",
    r"^\^t/": "conversion snippet; keyed by a per-organization public key",
    r"^api/v1/conversions$": "server-to-server conversions; authenticated by a per-organization conversion key",
    r"^recognition/embed/": "public recognition widget; the token is the organization's opt-in embed secret",
    r"^scim/v2/orgs/": "SCIM for identity providers; the bearer token must be one of the named organization's own (hashed), else 401; tests/identity/test_scim_security.py",
    r"^manifest\.webmanifest$": "the web app manifest; the same for everyone, no data",
    r"^sw\.js$": "the service worker script; the same for everyone, no data",
    r"^offline/$": "the offline page; no person's or organization's data (tests/e2e/test_pwa.py)",
    r"^digest/": "digest e-mail links (unsubscribe, share); a signed token names the organization and member; tests/campaigns/test_digest_links.py",
}


class CannotBuild(Exception):
    pass


def _text(field: models.Field, marker: str) -> str:
    limit = field.max_length or 200
    if isinstance(field, models.EmailField):
        return f"{marker}@example.com"[-limit:]
    if isinstance(field, models.URLField):
        return f"https://example.com/{marker}"[:limit]
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    return marker[:limit]


def _value(field: models.Field, marker: str):
    if field.choices:
        return (
            field.choices[0][0]
            if not isinstance(field.choices[0][1], list | tuple)
            else field.choices[0][1][0][0]
        )
    if isinstance(field, models.FileField):
        return f"probe/{marker}.txt"
    if isinstance(field, models.CharField | models.TextField):
        return _text(field, marker)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return datetime.time(9, 0)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(0)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.FloatField):
        return 1.0
    if isinstance(field, models.IntegerField):
        return 1
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BinaryField):
        return b""
    raise CannotBuild(f"no sample for {type(field).__name__} {field.name}")


def new_marker() -> str:
    """Unique text that cannot occur by chance in a page."""
    return "zqx" + uuid.uuid4().hex[:12]


def make_person(organization: Organization, marker: str, **fields) -> Membership:
    user = get_user_model().objects.create_user(email=f"{marker}@probe.test", name=marker)
    with org_context(organization):
        return Membership.objects.create(organization=organization, user=user, **fields)


class Builder:
    """Makes one row of any tenant model for one organization, with every text field
    carrying a fresh marker. Rows it needed along the way are reused."""

    def __init__(self, organization: Organization):
        self.organization = organization
        self.markers: set[str] = set()
        self.rows: dict[str, models.Model] = {}
        self.problems: dict[str, str] = {}

    def get(self, model: type[models.Model]) -> models.Model | None:
        label = model._meta.label_lower
        if label not in self.rows and label not in self.problems:
            try:
                self.rows[label] = self._build(model)
            except (CannotBuild, IntegrityError, ValueError, TypeError) as error:
                existing = model.objects.filter(organization=self.organization).first()
                if existing is not None:
                    self.rows[label] = existing  # a one-per-organization row the app made itself
                else:
                    self.problems[label] = f"{type(error).__name__}: {error}"
        return self.rows.get(label)

    def _build(self, model: type[models.Model]) -> models.Model:
        marker = new_marker()
        self.markers.add(marker)
        label = model._meta.label_lower
        with org_context(self.organization), transaction.atomic():
            if label in FACTORIES:
                return FACTORIES[label](self.organization, marker)
            if model is Membership:
                return make_person(self.organization, marker)
            fields = {}
            for field in model._meta.concrete_fields:
                if (
                    field.primary_key
                    or field.name == "organization"
                    or getattr(field, "generated", False)
                ):
                    continue
                if field.is_relation:
                    if field.null:
                        continue
                    fields[field.name] = self._related(field)
                    continue
                # Required text gets the marker (list pages show such fields); optional
                # fields keep their defaults, which the app knows how to read.
                if not (
                    field.has_default()
                    or field.null
                    or field.blank
                    or getattr(field, "auto_now", False)
                    or getattr(field, "auto_now_add", False)
                ):
                    fields[field.name] = _value(field, marker)
            return model.objects.create(organization=self.organization, **fields)

    def _related(self, field):
        related = field.related_model
        if related is Organization:
            return self.organization
        if related is get_user_model():
            return make_person(self.organization, new_marker()).user
        if issubclass(related, TenantModel):
            row = self.get(related)
            if row is None:
                raise CannotBuild(f"{field.name}: {self.problems.get(related._meta.label_lower)}")
            return row
        row = related.objects.first()
        if row is None:
            raise CannotBuild(f"{field.name} needs a {related._meta.label} and none exists")
        return row

"""Forms of campaigns and sharing. Times are typed in the organization's time zone."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin
from advocacy.tenancy.models import Role, Team
from advocacy.tenancy.permissions import ADMINS
from content_library.models import ContentItem
from social.models import Connection

from .models import Campaign, CampaignSettings


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input read and shown in a given time zone (the organization's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, zone: str = "UTC", **kwargs):
        self.zone = zoneinfo.ZoneInfo(zone)
        kwargs.setdefault(
            "input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)


class CampaignForm(BootstrapFormMixin, forms.ModelForm):
    items = forms.ModelMultipleChoiceField(
        label=_("Content to share"),
        queryset=ContentItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave teams, locations and roles empty to invite everyone."),
    )
    locations = forms.CharField(
        label=_("Locations"),
        required=False,
        help_text=_("Comma-separated, e.g. Jakarta, Surabaya"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "slug",
            "description",
            "goal_clicks",
            "starts_at",
            "ends_at",
            "points_per_share",
            "points_per_click",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "slug": _("Used in the links' utm_campaign. Leave empty to make one from the name.")
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        for name in ("starts_at", "ends_at"):
            old = self.fields[name]
            self.fields[name] = LocalDateTimeField(
                label=old.label, required=False, zone=organization.timezone
            )
        self.fields["starts_at"].help_text = _("Empty: starts when you launch it.")
        self.fields["items"].queryset = ContentItem.objects.for_org(organization).filter(
            status=ContentItem.Status.APPROVED
        )
        self.fields["teams"].queryset = Team.objects.for_org(organization)
        if self.instance.pk:
            rules = list(self.instance.audience_rules.all())
            self.initial.setdefault("items", [i.content_id for i in self.instance.items.all()])
            self.initial.setdefault("teams", [r.team_id for r in rules if r.team_id])
            self.initial.setdefault("locations", ", ".join(r.location for r in rules if r.location))
            self.initial.setdefault("roles", [r.role for r in rules if r.role])
        # Replaced after BootstrapFormMixin styled the originals.
        for name in ("starts_at", "ends_at"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_locations(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["locations"].split(",") if part.strip()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "slug": data.get("slug") or "",
            "description": data["description"],
            "goal_clicks": data["goal_clicks"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "points_per_share": data["points_per_share"],
            "points_per_click": data["points_per_click"],
            "items": list(data["items"]),
            "teams": list(data["teams"]),
            "locations": data["locations"],
            "roles": data["roles"],
        }


def _https_urls(field, **kwargs):
    """Webhook addresses typed without a scheme are https (Django 6's default too)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class CampaignSettingsForm(BootstrapFormMixin, forms.ModelForm):
    formfield_callback = _https_urls

    class Meta:
        model = CampaignSettings
        fields = [
            "announce_by_email",
            "slack_webhook_url",
            "teams_webhook_url",
            "sharing_starts",
            "sharing_ends",
            "daily_share_limit",
            "short_domain",
            "company_connection",
        ]
        widgets = {
            "sharing_starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "sharing_ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The company account is one of the admins' own connections that can post.
        self.fields["company_connection"].queryset = (
            Connection.objects.for_org(self.instance.organization)
            .filter(
                membership__role__in=ADMINS,
                status__in=[Connection.Status.ACTIVE, Connection.Status.EXPIRING],
            )
            .select_related("membership__user")
            .order_by("network", "handle")
        )
        self.fields["company_connection"].label_from_instance = _company_label

    def clean_short_domain(self) -> str:
        return self.cleaned_data["short_domain"].strip().lower()


class ComposerForm(BootstrapFormMixin, forms.Form):
    WHEN_NOW, WHEN_LATER = "now", "later"

    text = forms.CharField(
        label=_("Your post"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    connections = forms.TypedMultipleChoiceField(
        label=_("Post on"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[(WHEN_NOW, _("Now")), (WHEN_LATER, _("Later"))],
        initial=WHEN_NOW,
        widget=forms.RadioSelect,
    )
    scheduled_at = LocalDateTimeField(label=_("Date and time"), required=False)
    batch = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, organization, connections, **kwargs):
        super().__init__(*args, **kwargs)
        self.connection_map = {c.pk: c for c in connections}
        self.fields["connections"].choices = [
            (c.pk, f"{c.get_network_display()} · {c.display_name or c.handle}") for c in connections
        ]
        self.fields["scheduled_at"] = LocalDateTimeField(
            label=_("Date and time"),
            required=False,
            zone=organization.timezone,
            widget=forms.DateTimeInput(
                attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
            ),
        )
        self.initial.setdefault("batch", uuid.uuid4())

    def clean(self):
        data = super().clean()
        if data.get("when") == self.WHEN_LATER and not data.get("scheduled_at"):
            self.add_error("scheduled_at", _("Choose when to post it."))
        return data

    def chosen_connections(self) -> list:
        return [
            self.connection_map[pk]
            for pk in self.cleaned_data.get("connections", [])
            if pk in self.connection_map
        ]

    def scheduled_time(self):
        if self.cleaned_data.get("when") == self.WHEN_LATER:
            return self.cleaned_data.get("scheduled_at")
        return None


def _company_label(connection: Connection) -> str:
    return _("%(network)s · %(account)s") % {
        "network": connection.get_network_display(),
        "account": connection.display_name or connection.handle,
    }

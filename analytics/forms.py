"""Forms of the analytics pages: the dashboard filters and the settings."""

from __future__ import annotations

import datetime
import ipaddress
import zoneinfo
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy import outbound
from advocacy.forms import BootstrapFormMixin
from advocacy.tenancy.models import Team
from analytics.dashboards.pages import BENCHMARK_METRICS, Filters
from analytics.selectors import DEFAULT_CPM
from campaigns.models import Campaign
from social.models import Network

MAX_RANGE_DAYS = 3 * 366
EARLIEST = datetime.date(2000, 1, 1)
DEFAULT_DAYS = 30


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("All campaigns"),
    )
    network = forms.ChoiceField(
        label=_("Network"), required=False, choices=[("", _("All networks")), *Network.choices]
    )

    def __init__(self, *args, organization, teams=True, default_days=DEFAULT_DAYS, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.default_days = default_days
        self.today = timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.timezone))
        self.fields["team"].queryset = Team.objects.for_org(organization).order_by("name")
        self.fields["campaign"].queryset = Campaign.objects.for_org(organization).order_by("name")
        if not teams:
            del self.fields["team"]

    def clean(self):
        data = super().clean()
        end = data.get("end") or self.today
        start = data.get("start") or end - datetime.timedelta(days=self.default_days - 1)
        if start > end:
            raise forms.ValidationError(
                _("The start date is after the end date. Swap them or pick another range.")
            )
        if start < EARLIEST or end > self.today + datetime.timedelta(days=366):
            raise forms.ValidationError(_("Choose dates between 2000 and a year from today."))
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a range of at most three years."))
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            team=data.get("team"),
            campaign=data.get("campaign"),
            network=data.get("network") or "",
        )


class ValueSettingsForm(BootstrapFormMixin, forms.Form):
    cost_per_click = forms.DecimalField(
        label=_("Cost per click"), min_value=0, max_digits=10, decimal_places=2
    )
    value_per_engagement = forms.DecimalField(
        label=_("Value per engagement"), min_value=0, max_digits=10, decimal_places=2
    )
    monthly_program_cost = forms.DecimalField(
        label=_("Monthly program cost"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Licences, agency and staff time; rewards redeemed are added automatically."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for network, label in Network.choices:
            self.fields[f"cpm_{network}"] = forms.DecimalField(
                label=_("CPM on %(network)s") % {"network": label},
                min_value=0,
                max_digits=10,
                decimal_places=2,
                help_text=_("Cost per 1,000 impressions; default %(value)s")
                % {"value": DEFAULT_CPM[network]},
            )
        for network, label in Network.choices:
            self.fields[f"budget_{network}"] = forms.IntegerField(
                label=_("Monthly read budget on %(network)s") % {"network": label},
                min_value=0,
                required=False,
                help_text=_("Posts read per month; empty for no limit."),
            )
        for key, (label, _kind) in BENCHMARK_METRICS.items():
            self.fields[f"industry_{key}"] = forms.DecimalField(
                label=_("Industry value: %(metric)s") % {"metric": label},
                required=False,
                min_value=0,
                max_digits=10,
                decimal_places=2,
                help_text=_("In percent for rates, e.g. 35 for 35%.") if _kind == "percent" else "",
            )
        self.fields["contribute_to_benchmarks"] = forms.BooleanField(
            label=_("Add our figures, anonymously, to the platform benchmarks"), required=False
        )

    @classmethod
    def initial_from(cls, analytics_settings) -> dict:
        initial = {
            "cost_per_click": analytics_settings.cost_per_click,
            "value_per_engagement": analytics_settings.value_per_engagement,
            "monthly_program_cost": analytics_settings.monthly_program_cost,
            "contribute_to_benchmarks": analytics_settings.contribute_to_benchmarks,
        }
        cpm = {**DEFAULT_CPM, **(analytics_settings.cpm_by_network or {})}
        for network, _label in Network.choices:
            initial[f"cpm_{network}"] = Decimal(str(cpm[network]))
            initial[f"budget_{network}"] = (analytics_settings.read_budgets or {}).get(network)
        for key in BENCHMARK_METRICS:
            initial[f"industry_{key}"] = (analytics_settings.industry_benchmarks or {}).get(key)
        return initial

    def settings_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "cost_per_click": data["cost_per_click"],
            "value_per_engagement": data["value_per_engagement"],
            "monthly_program_cost": data["monthly_program_cost"],
            "contribute_to_benchmarks": data["contribute_to_benchmarks"],
            "cpm_by_network": {n: f"{data[f'cpm_{n}']:.2f}" for n, _l in Network.choices},
            "read_budgets": {
                n: data[f"budget_{n}"]
                for n, _l in Network.choices
                if data[f"budget_{n}"] is not None
            },
            "industry_benchmarks": {
                k: f"{data[f'industry_{k}']:.2f}"
                for k in BENCHMARK_METRICS
                if data[f"industry_{k}"] is not None
            },
        }


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class WebhookForm(BootstrapFormMixin, forms.Form):
    webhook_url = forms.URLField(
        label=_("CRM webhook"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Each conversion is sent here as JSON, signed with HMAC-SHA256. Empty: none."),
    )
    max_conversions_per_click = forms.IntegerField(
        label=_("Conversions counted per click, at most"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("More conversions from the same click are refused (and not sent to the CRM)."),
    )

    def clean_webhook_url(self) -> str:
        """Read by the outbound gate's parser now, so a URL it would refuse when sending
        (credentials, an odd numeric host, a private address) is refused when saved."""
        url = self.cleaned_data["webhook_url"]
        if url:
            try:
                target = outbound.parse(url)
                # A literal address is vetted now; a name is resolved when sending.
                if _is_address(target.host):
                    outbound.vet(target)
            except outbound.OutboundError as exc:
                raise forms.ValidationError(str(exc)) from None
        return url


class ConversionKeyForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Where the key is used, e.g. “Shop server”.")
    )

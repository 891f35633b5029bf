"""Forms of the recognition pages. Choices are always limited to the current organization."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin
from advocacy.tenancy.models import Membership

from .models import AwardProgram, Badge, CompanyValue, RecognitionSettings, Reward
from .services.ledger import MAX_ADJUSTMENT


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.get_full_name()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.get_full_name()


def _people(organization, exclude: Membership | None = None):
    people = Membership.objects.for_org(organization).filter(is_active=True).select_related("user")
    return people.exclude(pk=exclude.pk) if exclude is not None else people


class ShoutOutForm(BootstrapFormMixin, forms.Form):
    recipient = PersonChoiceField(
        label=_("Who do you want to recognize?"), queryset=Membership.objects.none()
    )
    value = forms.ModelChoiceField(
        label=_("Which value did they live?"), queryset=CompanyValue.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organization, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = _people(organization, exclude=membership)
        self.fields["value"].queryset = CompanyValue.objects.for_org(organization).filter(
            is_active=True
        )


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=500)


class ThanksForm(BootstrapFormMixin, forms.Form):
    recipient = PersonChoiceField(label=_("Advocate"), queryset=Membership.objects.none())
    message = forms.CharField(
        label=_("Public thanks"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    share_id = forms.IntegerField(label=_("Share number (optional)"), required=False, min_value=1)
    request_repost = forms.BooleanField(
        label=_("Ask the advocate's consent to repost this share on the company's account"),
        required=False,
    )

    def __init__(self, *args, organization, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = _people(organization, exclude=membership)


class ThankYouForm(BootstrapFormMixin, forms.Form):
    recipients = PeopleChoiceField(
        label=_("Advocates"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "{first_name}, {name}, {points}, {organization} and {sender} are filled in for each person."
        ),
    )

    def __init__(self, *args, organization, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = _people(organization, exclude=membership)


class RewardForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Reward
        fields = [
            "name",
            "description",
            "kind",
            "cost_points",
            "value",
            "stock",
            "is_available",
            "available_until",
        ]
        widgets = {"available_until": forms.DateInput(attrs={"type": "date"})}


class BudgetForm(BootstrapFormMixin, forms.Form):
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(
        label=_("Until (first day after)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(label=_("Budget"), min_value=0, max_digits=12, decimal_places=2)


class SettingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RecognitionSettings
        fields = [
            "points_per_share",
            "points_per_network",
            "clicks_per_milestone",
            "points_per_click_milestone",
            "points_per_course",
            "points_per_pulse",
            "points_per_shoutout",
            "daily_cap",
            "shoutouts_per_day",
            "point_value",
            "executives_on_own_board",
            "quick_delete_hours",
        ]
        help_texts = {
            "points_per_network": _(
                'For example {"linkedin": 15, "x": 8}; other networks use points per share.'
            )
        }


class BadgeForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    icon = forms.RegexField(
        label=_("Icon"),
        regex=r"^[a-z0-9-]{1,40}$",
        initial="award",
        help_text=_("A Bootstrap icon name, e.g. trophy, star, heart"),
    )
    metric = forms.ChoiceField(
        label=_("Measured by"),
        choices=[c for c in Badge.Metric.choices if c[0] != Badge.Metric.ALL_COURSES],
    )
    threshold = forms.IntegerField(label=_("Threshold"), min_value=1, max_value=1_000_000)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class ValueForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Value"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class AdjustmentForm(BootstrapFormMixin, forms.Form):
    membership = PersonChoiceField(label=_("Advocate"), queryset=Membership.objects.none())
    points = forms.IntegerField(
        label=_("Points (negative to take away)"),
        min_value=-MAX_ADJUSTMENT,
        max_value=MAX_ADJUSTMENT,
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = _people(organization)


class AwardProgramForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AwardProgram
        fields = ["name", "cadence", "points", "voting_enabled"]


class NominationForm(BootstrapFormMixin, forms.Form):
    nominee = PersonChoiceField(label=_("Nominee"), queryset=Membership.objects.none())
    reason = forms.CharField(
        label=_("Why?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organization, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = _people(organization, exclude=membership)


class CloseRoundForm(BootstrapFormMixin, forms.Form):
    winner = PersonChoiceField(label=_("Winner"), queryset=Membership.objects.none())
    message = forms.CharField(
        label=_("Announcement"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winner"].queryset = _people(organization)


class PreferenceForm(BootstrapFormMixin, forms.Form):
    show_on_leaderboards = forms.BooleanField(
        label=_("Show me on public leaderboards and the recognition feed outside Chorus"),
        required=False,
    )
    receive_newsletter = forms.BooleanField(
        label=_("Send me the monthly recognition newsletter"), required=False
    )


class PeriodForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Until (first day after)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("The period must end after it starts."))
        if (
            data.get("start")
            and data.get("end")
            and data["end"] - data["start"] > datetime.timedelta(days=731)
        ):
            raise forms.ValidationError(_("Choose a period of at most two years."))
        return data


class NewsletterForm(BootstrapFormMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

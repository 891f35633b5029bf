from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Send me new posts to share"), widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, default_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = [
            ("", _("As my organization suggests (%(frequency)s)") % {"frequency": default_label}),
            *Frequency.choices,
        ]


class PolicyForm(forms.Form):
    default_frequency = forms.ChoiceField(
        label=_("Default for everyone who has not chosen"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )

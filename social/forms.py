"""Forms of the connections page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin


class MastodonConnectForm(BootstrapFormMixin, forms.Form):
    instance_url = forms.CharField(
        label=_("Your Mastodon server"),
        max_length=300,
        help_text=_("The address of the server your account lives on, like mastodon.social."),
    )


class BlueskyConnectForm(BootstrapFormMixin, forms.Form):
    handle = forms.CharField(
        label=_("Bluesky handle"),
        max_length=253,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "placeholder": "name.bsky.social"}
        ),
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=100,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Create one in Bluesky under Settings → Privacy and security → App passwords. "
            "Chorus uses it once to open a session and does not keep it."
        ),
    )

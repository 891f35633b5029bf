"""The owner's SAML settings form: IdP metadata (file or URL), attribute names, switches."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin

from .models import SamlConnection

METADATA_MAX_BYTES = 1_000_000


class SamlSettingsForm(BootstrapFormMixin, forms.ModelForm):
    metadata_file = forms.FileField(
        label=_("Identity provider metadata (XML file)"),
        required=False,
        help_text=_("Download it from Okta or Microsoft Entra ID and upload it here."),
    )
    metadata_url = forms.URLField(
        label=_("…or the metadata URL"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "Chorus fetches it in the background after you save; “Test the connection” "
            "fetches it again when the IdP's certificate changes."
        ),
    )

    class Meta:
        model = SamlConnection
        fields = [
            "attribute_email",
            "attribute_first_name",
            "attribute_last_name",
            "attribute_team",
            "attribute_role",
            "just_in_time",
            "enabled",
        ]
        help_texts = {
            "attribute_team": _("Matched to a team of the same name; no team is created."),
            "attribute_role": _(
                "employee, manager or curator. Admin and owner are never given at sign-in."
            ),
            "just_in_time": _(
                "Off: people need an invitation first. On: a person your identity provider "
                "signs in gets a membership with the mapped role and team."
            ),
        }

    def clean_metadata_file(self):
        upload = self.cleaned_data.get("metadata_file")
        if not upload:
            return ""
        if upload.size > METADATA_MAX_BYTES:
            raise forms.ValidationError(_("The metadata file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The metadata file is not UTF-8 XML text.")) from exc

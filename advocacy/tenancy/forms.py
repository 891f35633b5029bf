from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin

from .models import TIMEZONE_CHOICES, Organization
from .services import RESERVED_SLUGS


class OrganizationCreateForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "slug", "timezone", "default_language"]
        help_texts = {"slug": _("Lowercase letters, digits and hyphens; your address will be /o/<address>/.")}

    timezone = forms.ChoiceField(label=_("time zone"), choices=TIMEZONE_CHOICES, initial="UTC")

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is reserved. Please choose another."))
        if Organization.objects.filter(slug=slug).exists():
            raise ValidationError(_("This address is already taken."))
        return slug

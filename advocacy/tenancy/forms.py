import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin

from . import branding
from .directory_import import MAX_FILE_BYTES
from .invitations import MAX_INVITES_AT_ONCE, assignable_roles, split_emails
from .models import TIMEZONE_CHOICES, Membership, Organization, Role, Team
from .selectors import DIRECTORY_STATUSES
from .services import RESERVED_SLUGS


class OrganizationCreateForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "slug", "timezone", "default_language"]
        help_texts = {
            "slug": _("Lowercase letters, digits and hyphens; your address will be /o/<address>/.")
        }

    timezone = forms.ChoiceField(label=_("time zone"), choices=TIMEZONE_CHOICES, initial="UTC")

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is reserved. Please choose another."))
        if Organization.objects.filter(slug=slug).exists():
            raise ValidationError(_("This address is already taken."))
        return slug


# The currencies earned media value and rewards are most often counted in.
CURRENCY_CHOICES = [
    ("USD", _("US dollar (USD)")),
    ("EUR", _("Euro (EUR)")),
    ("GBP", _("Pound sterling (GBP)")),
    ("IDR", _("Indonesian rupiah (IDR)")),
    ("SGD", _("Singapore dollar (SGD)")),
    ("MYR", _("Malaysian ringgit (MYR)")),
    ("AUD", _("Australian dollar (AUD)")),
    ("JPY", _("Japanese yen (JPY)")),
    ("INR", _("Indian rupee (INR)")),
    ("CAD", _("Canadian dollar (CAD)")),
    ("CHF", _("Swiss franc (CHF)")),
    ("BRL", _("Brazilian real (BRL)")),
    ("PHP", _("Philippine peso (PHP)")),
    ("THB", _("Thai baht (THB)")),
    ("VND", _("Vietnamese dong (VND)")),
]
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class OrganizationSettingsForm(BootstrapFormMixin, forms.ModelForm):
    timezone = forms.ChoiceField(label=_("time zone"), choices=TIMEZONE_CHOICES)
    currency = forms.ChoiceField(
        label=_("currency"),
        choices=CURRENCY_CHOICES,
        help_text=_("Earned media value and rewards are shown in this currency."),
    )
    # A plain file input: a logo has no public address to show, and removing it is a
    # separate, explicit box.
    logo = forms.ImageField(
        label=_("logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
        help_text=_(
            "PNG, JPEG, WebP or GIF, at most 1 MB and 4096 pixels on each side. "
            "Without a logo, the menu shows your organization's initials."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    brand_color = forms.CharField(
        label=_("brand colour"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "color", "class": "form-control form-control-color"}),
        help_text=_(
            "Buttons and highlights use this colour; their text turns white or dark, "
            "whichever reads better."
        ),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "logo",
            "brand_color",
            "timezone",
            "default_language",
            "currency",
            "allowed_signin_domains",
            "sso_required",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.logo:
            del self.fields["remove_logo"]
        if not self.instance.brand_color:
            self.initial["brand_color"] = branding.DEFAULT_ACCENT
        # Right after the logo, where someone who wants it gone looks.
        self.order_fields(["name", "logo", "remove_logo", "brand_color"])

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "image"):
            return logo  # none sent: unchanged
        if logo.size > branding.LOGO_MAX_BYTES:
            raise ValidationError(_("The logo is larger than 1 MB."))
        if (logo.image.format or "").upper() not in branding.LOGO_FORMATS:
            raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."))
        width, height = logo.image.size
        if max(width, height) > branding.LOGO_MAX_SIDE:
            raise ValidationError(
                _(
                    "The logo is %(width)s × %(height)s pixels; "
                    "upload one at most %(max)s pixels on each side."
                )
                % {"width": width, "height": height, "max": branding.LOGO_MAX_SIDE}
            )
        if min(width, height) < branding.LOGO_MIN_SIDE:
            raise ValidationError(
                _(
                    "The logo is %(width)s × %(height)s pixels; "
                    "upload one at least %(min)s pixels on each side."
                )
                % {"width": width, "height": height, "min": branding.LOGO_MIN_SIDE}
            )
        try:
            return branding.reencode_logo(logo)
        except Exception as exc:  # truncated or corrupt pixels behind a valid header
            raise ValidationError(_("Upload a valid image.")) from exc

    def clean_brand_color(self):
        value = (self.cleaned_data.get("brand_color") or "").strip()
        if not value:
            return ""
        color = branding.normalize_hex(value)
        if color is None:
            raise ValidationError(
                _("“%(value)s” is not a colour: write # and six hex digits, e.g. #5b3cc4.")
                % {"value": value}
            )
        # The default is no choice at all: the organization follows Chorus's accent.
        return "" if color == branding.DEFAULT_ACCENT else color

    def clean_allowed_signin_domains(self):
        domains = []
        for part in re.split(r"[\s,;]+", self.cleaned_data["allowed_signin_domains"].lower()):
            part = part.strip().lstrip("@")
            if not part:
                continue
            if not _DOMAIN.match(part):
                raise ValidationError(_("“%(domain)s” is not a domain name.") % {"domain": part})
            if part not in domains:
                domains.append(part)
        value = ", ".join(domains)
        if len(value) > 500:
            raise ValidationError(_("List at most 500 characters of domains."))
        return value


class InviteForm(BootstrapFormMixin, forms.Form):
    emails = forms.CharField(
        label=_("email addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One address, or many pasted from a spreadsheet (separated by commas, spaces or lines)."
        ),
    )
    role = forms.ChoiceField(label=_("role"), initial=Role.EMPLOYEE)
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, organization, actor_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = assignable_roles(actor_role=actor_role)
        self.fields["team"].queryset = Team.objects.for_org(organization)

    def clean_emails(self):
        emails = split_emails(self.cleaned_data["emails"])
        if not emails:
            raise ValidationError(_("Enter at least one email address."))
        if len(emails) > MAX_INVITES_AT_ONCE:
            raise ValidationError(
                _("Invite at most %(count)d people at once.") % {"count": MAX_INVITES_AT_ONCE}
            )
        return emails


class MembershipForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = [
            "role",
            "team",
            "manager",
            "job_title",
            "location",
            "hire_date",
            "leave_date",
            "is_active",
        ]
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "leave_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"leave_date": _("The last working day; retention figures use it.")}

    def __init__(self, *args, organization, actor_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = (
            assignable_roles(actor_role=actor_role)
            if self.instance.role != Role.OWNER or actor_role == Role.OWNER
            else Role.choices
        )
        self.fields["team"].queryset = Team.objects.for_org(organization)
        self.fields["manager"].queryset = (
            Membership.objects.for_org(organization)
            .filter(is_active=True)
            .exclude(pk=self.instance.pk)
            .select_related("user")
            .order_by("user__name", "user__email")
        )
        self.fields["manager"].label_from_instance = lambda m: (
            f"{m.user.get_full_name()} <{m.user.email}>"
        )


class DirectoryImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "Columns: email, name, team, manager email, title, location, hire date (YYYY-MM-DD), role. At most 5 MB."
        ),
    )
    send_welcome = forms.BooleanField(
        label=_("Email new people a link to set their password"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class DirectoryFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, email or title")}),
    )
    team = forms.ModelChoiceField(
        label=_("team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    role = forms.ChoiceField(label=_("role"), required=False)
    location = forms.ChoiceField(label=_("location"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False)

    def __init__(self, *args, organization, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.for_org(organization)
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]
        self.fields["location"].choices = [
            ("", _("All locations")),
            *[(loc, loc) for loc in locations],
        ]
        labels = {
            "active": _("Current employees"),
            "left": _("Former employees"),
            "all": _("Everyone"),
        }
        self.fields["status"].choices = [(s, labels[s]) for s in DIRECTORY_STATUSES]


class InvitationAcceptForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data

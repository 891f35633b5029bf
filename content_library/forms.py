"""Forms of the library pages. They validate; services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin
from advocacy.tenancy.models import Role, Team

from . import media
from .models import ContentItem, Course, FeedSource, LibrarySettings, Network, Topic
from .networks import NETWORK_LIMITS, effective_length, fits, too_many_bytes

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _https_urls(model_field, **kwargs):
    """Links typed without a scheme are read as https (Django 6's default, chosen now)."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


def _split_list(value: str) -> list[str]:
    return list(
        dict.fromkeys(part.strip() for part in value.replace("\n", ",").split(",") if part.strip())
    )


class AudienceFieldsMixin(forms.Form):
    """Teams, locations and roles; none of them means everyone."""

    audience_teams = forms.ModelMultipleChoiceField(
        label=_("teams"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("A team includes the teams below it."),
    )
    audience_locations = forms.CharField(
        label=_("locations"), required=False, help_text=_("Comma-separated, e.g. Boston, Remote")
    )
    audience_roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, required=False
    )

    def setup_audience(self, organization, rules) -> None:
        self.fields["audience_teams"].queryset = Team.objects.for_org(organization)
        if rules is not None:
            rules = list(rules)
            self.initial.setdefault("audience_teams", [r.team_id for r in rules if r.team_id])
            self.initial.setdefault(
                "audience_locations", ", ".join(r.location for r in rules if r.location)
            )
            self.initial.setdefault("audience_roles", [r.role for r in rules if r.role])

    def audience(self) -> dict:
        data = self.cleaned_data
        return {
            "teams": list(data.get("audience_teams") or []),
            "locations": _split_list(data.get("audience_locations") or ""),
            "roles": list(data.get("audience_roles") or []),
        }


class ContentItemForm(BootstrapFormMixin, AudienceFieldsMixin, forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("topics"), queryset=Topic.objects.none(), required=False
    )
    new_topics = forms.CharField(
        label=_("new topics"), required=False, help_text=_("Comma-separated")
    )

    class Meta:
        model = ContentItem
        formfield_callback = _https_urls
        fields = [
            "kind",
            "url",
            "title",
            "description",
            "image",
            "media_file",
            "preview_title",
            "preview_description",
            "preview_image_url",
            "preview_site_name",
            "language",
            "is_featured",
            "publish_at",
            "expires_at",
            "internal_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "preview_description": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
            "publish_at": DATETIME_WIDGET,
            "expires_at": DATETIME_WIDGET,
            "image": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
            ),
            "media_file": forms.ClearableFileInput(attrs={"accept": "application/pdf,video/mp4"}),
        }
        help_texts = {
            "url": _("Paste a link: its title, description and image are fetched for you."),
            "media_file": _("A PDF for documents or an MP4 for videos."),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["title"].required = False
        self.fields["topics"].queryset = Topic.objects.for_org(organization)
        self.fields["url"].widget.attrs["data-preview-url"] = "true"
        if self.instance.pk:
            self.initial.setdefault(
                "topics", list(self.instance.topics.values_list("pk", flat=True))
            )
            self.setup_audience(organization, self.instance.audience_rules.all())
        else:
            self.setup_audience(organization, None)
            self.initial.setdefault("language", organization.default_language)

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            media.validate_image(image)
        return image

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        upload = data.get("media_file")
        if upload and hasattr(upload, "content_type"):
            try:
                media.validate_media_file(upload, kind=kind or "")
            except ValidationError as exc:
                self.add_error("media_file", exc)
        has_image = data.get("image") or (self.instance.pk and self.instance.image)
        if kind == ContentItem.Kind.ARTICLE and not data.get("url"):
            self.add_error("url", _("An article needs a link."))
        if kind == ContentItem.Kind.IMAGE and not has_image:
            self.add_error("image", _("An image post needs an image."))
        if kind == ContentItem.Kind.DOCUMENT and not (upload or self.instance.media_file):
            self.add_error("media_file", _("A document post needs a PDF."))
        if kind == ContentItem.Kind.VIDEO and not (
            data.get("url") or upload or self.instance.media_file
        ):
            self.add_error("url", _("A video needs a link or an MP4 file."))
        if kind == ContentItem.Kind.TEXT and not (data.get("title") or data.get("description")):
            self.add_error("title", _("Write the post's title or text."))
        if not data.get("title") and not data.get("url"):
            self.add_error("title", _("Give the item a title."))
        publish_at, expires_at = data.get("publish_at"), data.get("expires_at")
        if publish_at and expires_at and expires_at <= publish_at:
            self.add_error("expires_at", _("The expiry must come after the publish date."))
        return data

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data
        }
        for name in ("image", "media_file"):
            value = data.get(name)
            if value is False:  # "clear" ticked
                data[name] = ""
            elif not value or not hasattr(value, "content_type"):
                data.pop(name, None)  # unchanged
        return data

    def chosen_topics(self, topic_get_or_create) -> list[Topic]:
        topics = list(self.cleaned_data.get("topics") or [])
        for name in _split_list(self.cleaned_data.get("new_topics") or ""):
            topics.append(topic_get_or_create(organization=self.organization, name=name))
        return topics


class CaptionForm(BootstrapFormMixin, forms.Form):
    network = forms.ChoiceField(
        label=_("network"), choices=[("", _("Any network")), *Network.choices], required=False
    )
    text = forms.CharField(
        label=_("caption"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-caption": "true"}),
    )

    def clean(self):
        data = super().clean()
        network, text = data.get("network") or "", (data.get("text") or "").strip()
        limit = NETWORK_LIMITS.get(network)
        if text and limit is not None and effective_length(text, network) > limit:
            self.add_error(
                "text",
                _("%(length)s characters; the limit is %(limit)s.")
                % {"length": effective_length(text, network), "limit": limit},
            )
        elif text and not fits(text, network):
            self.add_error("text", too_many_bytes(text, network))
        return data


CaptionFormSet = forms.formset_factory(CaptionForm, extra=2, max_num=20, validate_max=True)


class RejectForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("what should change"), widget=forms.Textarea(attrs={"rows": 3}))


class SuggestionForm(BootstrapFormMixin, forms.Form):
    url = forms.URLField(label=_("link"), max_length=2000, assume_scheme="https")
    comment = forms.CharField(
        label=_("why colleagues should share it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedSourceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = FeedSource
        formfield_callback = _https_urls
        fields = ["name", "url", "language", "topic", "is_active"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.for_org(organization)


class LibrarySettingsForm(BootstrapFormMixin, forms.ModelForm):
    disclosure_networks = forms.MultipleChoiceField(
        label=_("networks that need the disclosure"),
        choices=Network.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every network."),
    )

    class Meta:
        model = LibrarySettings
        fields = [
            "disclosure",
            "disclosure_required",
            "disclosure_networks",
            "banned_words",
            "compliance_review_required",
        ]
        widgets = {"banned_words": forms.Textarea(attrs={"rows": 4})}


class GuidelinesForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(
        label=_("guidelines"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Simple HTML: paragraphs, lists, headings, bold, italics and links."),
    )
    change_summary = forms.CharField(label=_("what changed"), max_length=300, required=False)


class CourseForm(BootstrapFormMixin, AudienceFieldsMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "description", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_audience(
            organization, self.instance.audience_rules.all() if self.instance.pk else None
        )


class LessonForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(
        label=_("lesson"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Simple HTML: paragraphs, lists, headings, bold, italics and links."),
    )
    video_url = forms.URLField(label=_("video link"), required=False, assume_scheme="https")


class QuizQuestionForm(BootstrapFormMixin, forms.Form):
    prompt = forms.CharField(label=_("question"), max_length=300)
    choices = forms.CharField(
        label=_("answers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One answer per line."),
    )
    correct = forms.IntegerField(label=_("number of the right answer"), min_value=1, initial=1)

    def clean(self):
        data = super().clean()
        choices = [
            line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()
        ]
        if len(choices) < 2:
            self.add_error("choices", _("Give at least two answers."))
        elif data.get("correct") and data["correct"] > len(choices):
            self.add_error("correct", _("There is no answer with that number."))
        data["choice_list"] = choices
        return data


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("All statuses")), *ContentItem.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("All kinds")), *ContentItem.Kind.choices], required=False
    )
    language = forms.ChoiceField(label=_("language"), required=False)
    topic = forms.TypedChoiceField(label=_("topic"), coerce=int, empty_value=None, required=False)
    audience = forms.ChoiceField(label=_("audience"), required=False)
    created_from = forms.DateField(
        label=_("added from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("added until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]
        self.fields["topic"].choices = [
            ("", _("All topics")),
            *Topic.objects.for_org(organization).values_list("pk", "name"),
        ]
        self.fields["audience"].choices = [
            ("", _("Any audience")),
            ("everyone", _("Everyone")),
            *[
                (f"team-{pk}", name)
                for pk, name in Team.objects.for_org(organization).values_list("pk", "name")
            ],
            *[(f"role-{value}", label) for value, label in Role.choices],
        ]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

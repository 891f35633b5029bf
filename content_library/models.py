"""The approved content library: items employees may share and their suggested captions,
the review trail, feed sources and employee suggestions, social media guidelines and
training courses.

Only items that are approved, published and not expired reach employees.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, Role, Team, TenantModel, TenantQuerySet


class Network(models.TextChoices):
    """The networks a caption or a share can target."""

    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"


class LibrarySettings(TenantModel):
    """One row per organization: the rules every caption and approval follows."""

    disclosure = models.CharField(
        _("disclosure"),
        max_length=100,
        blank=True,
        help_text=_("Appended to captions where required, e.g. #iworkforacme"),
    )
    # Empty list = every network.
    disclosure_networks = models.JSONField(
        _("networks that need the disclosure"), default=list, blank=True
    )
    disclosure_required = models.BooleanField(_("append the disclosure to captions"), default=False)
    banned_words = models.TextField(
        _("banned words"),
        blank=True,
        help_text=_("One word or phrase per line. Captions containing them cannot be approved."),
    )
    compliance_review_required = models.BooleanField(
        _("second-step compliance review"),
        default=False,
        help_text=_(
            "Approved items also need a compliance reviewer (an HR admin) before employees see them."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="librarysettings_one_per_org")
        ]

    def banned_word_list(self) -> list[str]:
        return [word.strip() for word in self.banned_words.splitlines() if word.strip()]

    def disclosure_applies_to(self, network: str) -> bool:
        if not (self.disclosure_required and self.disclosure.strip()):
            return False
        return not self.disclosure_networks or network in self.disclosure_networks


class Topic(TenantModel):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="topic_unique_slug"),
            models.UniqueConstraint("organization", Lower("name"), name="topic_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ContentItemQuerySet(TenantQuerySet):
    def shareable(self, *, now=None):
        """Approved, published and not expired: what employees may see and share."""
        now = now or timezone.now()
        return self.filter(status=ContentItem.Status.APPROVED).filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=now),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        )


class ContentItem(TenantModel):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article or link")
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")
        TEXT = "text", _("Text-only post")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        COMPLIANCE_REVIEW = "compliance_review", _("Compliance review")
        APPROVED = "approved", _("Approved")
        ARCHIVED = "archived", _("Archived")

    class Origin(models.TextChoices):
        CURATOR = "curator", _("Added by a curator")
        FEED = "feed", _("Imported from a feed")
        SUGGESTION = "suggestion", _("Suggested by an employee")

    class PreviewStatus(models.TextChoices):
        NONE = "", _("No link")
        PENDING = "pending", _("Fetching")
        FETCHED = "fetched", _("Fetched")
        FAILED = "failed", _("Could not fetch")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    image = models.ImageField(_("image"), upload_to="content/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="content/thumbs/%Y/%m/", blank=True, editable=False)
    preview_image_url = models.URLField(_("preview image"), max_length=2000, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    publish_at = models.DateTimeField(_("publish from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    internal_notes = models.TextField(_("notes for curators"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Uploaded documents (PDF) and videos (MP4); images use `image`.
    media_file = models.FileField(_("file"), upload_to="content/files/%Y/%m/", blank=True)
    # What the link preview shows; fetched from the page, editable by the curator.
    preview_title = models.CharField(_("preview title"), max_length=300, blank=True)
    preview_description = models.TextField(_("preview description"), blank=True)
    preview_site_name = models.CharField(_("site name"), max_length=120, blank=True)
    preview_status = models.CharField(
        max_length=10, choices=PreviewStatus.choices, blank=True, default=""
    )
    preview_error = models.CharField(max_length=300, blank=True)
    preview_fetched_at = models.DateTimeField(null=True, blank=True)
    # Audience: everyone, or the rules in ContentAudience.
    audience_everyone = models.BooleanField(_("everyone"), default=True)
    topics = models.ManyToManyField(Topic, through="ContentTopic", related_name="items", blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.CURATOR)
    # The last rejection note, shown to the author until the item is resubmitted.
    rejection_note = models.TextField(_("reason for rejection"), blank=True)
    submitted_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["-is_featured", "-created_at"]
        indexes = [
            models.Index(
                fields=["organization", "status", "-created_at"], name="content_org_status_created"
            ),
            models.Index(
                fields=["organization", "status", "expires_at"], name="content_org_status_expires"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.preview_title or self.title

    @property
    def display_image(self) -> str:
        if self.thumbnail:
            return self.thumbnail.url
        if self.image:
            return self.image.url
        return self.preview_image_url


class ContentTopic(TenantModel):
    content = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "content", "topic"], name="contenttopic_unique"
            ),
        ]


class AudienceRule(TenantModel):
    """One way into an audience: a team (and the teams below it), a location or a role."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    location = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.team or self.location or self.get_role_display())


class ContentAudience(AudienceRule):
    content = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, related_name="audience_rules"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organization", "content"], name="contentaudience_org_content")
        ]


class Caption(TenantModel):
    """A suggested caption for one network (or for any network when `network` is blank)."""

    content = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="captions")
    network = models.CharField(_("network"), max_length=16, choices=Network.choices, blank=True)
    text = models.TextField(_("caption"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organization", "content"], name="caption_org_content")]

    def __str__(self) -> str:
        return self.text[:60]


class ContentEvent(TenantModel):
    """The audit trail: who changed what on an item, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("submitted for review")
        APPROVED = "approved", _("approved")
        COMPLIANCE_APPROVED = "compliance_approved", _("approved for compliance")
        REJECTED = "rejected", _("rejected")
        ARCHIVED = "archived", _("archived")
        RESTORED = "restored", _("restored to draft")
        EXPIRED = "expired", _("expired")
        PREVIEW_FETCHED = "preview", _("link preview fetched")

    content = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "content", "-created_at"], name="contentevent_org_content"
            )
        ]


class FeedSource(TenantModel):
    """An RSS or Atom feed (company blog, newsroom) polled into the review queue."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("feed address"), max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("topic"),
    )
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    imported_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "url"], name="feedsource_unique_url")
        ]

    def __str__(self) -> str:
        return self.name


class ImportedLink(TenantModel):
    """A URL the organization already imported from a feed, so it is never imported twice."""

    url = models.URLField(max_length=2000)
    source = models.ForeignKey(
        FeedSource, null=True, on_delete=models.SET_NULL, related_name="imports"
    )
    content = models.ForeignKey(ContentItem, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "url"], name="importedlink_unique_url")
        ]


class Suggestion(TenantModel):
    """A link an employee thinks colleagues should share."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    suggested_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("link"), max_length=2000)
    comment = models.TextField(_("why colleagues should share it"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    content = models.ForeignKey(
        ContentItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["organization", "status", "-created_at"], name="suggestion_org_status"
            )
        ]


class GuidelinesVersion(TenantModel):
    """One version of the social media guidelines. The current one is the latest published."""

    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("guidelines"))  # sanitized HTML
    change_summary = models.CharField(_("what changed"), max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="guidelines_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class GuidelinesAcknowledgement(TenantModel):
    version = models.ForeignKey(
        GuidelinesVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "version", "membership"], name="guidelinesack_unique"
            ),
        ]


class Course(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    audience_everyone = models.BooleanField(_("everyone"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CourseAudience(AudienceRule):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audience_rules")

    class Meta:
        indexes = [
            models.Index(fields=["organization", "course"], name="courseaudience_org_course")
        ]


class Lesson(TenantModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("lesson"), blank=True)  # sanitized HTML
    video_url = models.URLField(_("video link"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["organization", "course", "position"], name="lesson_org_course")
        ]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(TenantModel):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    prompt = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("answers"), default=list)
    correct_index = models.PositiveSmallIntegerField(_("right answer"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organization", "lesson"], name="quizquestion_org_lesson")]


class LessonProgress(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(default=timezone.now)
    quiz_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership", "lesson"], name="lessonprogress_unique"
            ),
        ]


class CourseCompletion(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership", "course"], name="coursecompletion_unique"
            ),
        ]

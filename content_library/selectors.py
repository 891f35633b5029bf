"""Reads of the content library. Every function takes `organization=` and reads only its rows."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from advocacy.tenancy.models import Membership, Organization, Team

from .models import (
    Caption,
    ContentAudience,
    ContentEvent,
    ContentItem,
    ContentTopic,
    Course,
    CourseAudience,
    CourseCompletion,
    FeedSource,
    GuidelinesAcknowledgement,
    GuidelinesVersion,
    Lesson,
    LessonProgress,
    LibrarySettings,
    Suggestion,
    Topic,
)
from .networks import with_disclosure

# --- settings ------------------------------------------------------------------


def library_settings_get(*, organization: Organization) -> LibrarySettings:
    """The organization's library rules (unsaved defaults when never configured).

    Cached on the organization instance for the rest of the request, because the
    feed asks for caption variants of many items."""
    cached = getattr(organization, "_library_settings", None)
    if cached is None:
        cached = LibrarySettings.objects.for_org(organization).first() or LibrarySettings(
            organization=organization
        )
        organization._library_settings = cached
    return cached


# --- audiences -----------------------------------------------------------------


def team_with_ancestor_ids(*, organization: Organization, team_id: int | None) -> set[int]:
    """A team and every team above it: content for "Sales" reaches "Sales East" too."""
    if team_id is None:
        return set()
    parents = dict(Team.objects.for_org(organization).values_list("id", "parent_id"))
    found: set[int] = set()
    current: int | None = team_id
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return found


def _audience_filter(*, organization: Organization, membership: Membership, rules, owner: str) -> Q:
    team_ids = team_with_ancestor_ids(organization=organization, team_id=membership.team_id)
    match = Q(role=membership.role)
    if team_ids:
        match |= Q(team_id__in=team_ids)
    if membership.location:
        match |= Q(location__iexact=membership.location)
    matching_rule = rules.objects.for_org(organization).filter(match, **{owner: OuterRef("pk")})
    return Q(audience_everyone=True) | Q(Exists(matching_rule))


# --- the employee feed (used by campaigns) -------------------------------------------


def content_feed(
    *, organization: Organization, membership: Membership, language: str | None = None
) -> QuerySet[ContentItem]:
    """Shareable items whose audience includes the member, featured first, newest next,
    captions and topics prefetched. One plan whatever the number of items."""
    items = (
        ContentItem.objects.for_org(organization)
        .shareable()
        .filter(
            _audience_filter(
                organization=organization,
                membership=membership,
                rules=ContentAudience,
                owner="content",
            )
        )
    )
    if language:
        items = items.filter(language=language)
    return items.prefetch_related(
        Prefetch("captions", queryset=Caption.objects.for_org(organization)),
        Prefetch("topics", queryset=Topic.objects.for_org(organization)),
    ).order_by("-is_featured", Coalesce("publish_at", "created_at").desc(), "-id")


def caption_variants(
    *, organization: Organization, content: ContentItem, network: str
) -> list[str]:
    """Suggested texts for one network: its own captions first, then the ones for any
    network, each with the organization's disclosure where the admin requires it.
    An item without captions still offers its title, so the composer never starts empty."""
    captions = list(content.captions.all())  # uses the feed's prefetch when there is one
    own = [c.text for c in captions if c.network == network]
    generic = [c.text for c in captions if not c.network]
    texts = [_without_own_address(text, content.url) for text in own + generic]
    texts = [text for text in texts if text] or [content.title]
    rules = library_settings_get(organization=organization)
    if rules.disclosure_applies_to(network):
        texts = [with_disclosure(text, rules.disclosure) for text in texts]
    return texts


def _without_own_address(text: str, url: str) -> str:
    """A caption without the item's own address: every post carries the tracked link,
    so the raw address next to it would be a second, uncounted link."""
    if not url or url not in text:
        return text
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.replace(url, "").splitlines()]
    return "\n".join(lines).strip()


# --- guidelines --------------------------------------------------------------------


def guidelines_current(*, organization: Organization) -> GuidelinesVersion | None:
    return (
        GuidelinesVersion.objects.for_org(organization)
        .filter(published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def guidelines_acknowledged(*, organization: Organization, membership: Membership) -> bool:
    """True when the member acknowledged the current version, or when none is published."""
    current = guidelines_current(organization=organization)
    if current is None:
        return True
    return (
        GuidelinesAcknowledgement.objects.for_org(organization)
        .filter(version=current, membership=membership)
        .exists()
    )


def guidelines_version_list(*, organization: Organization) -> QuerySet[GuidelinesVersion]:
    return GuidelinesVersion.objects.for_org(organization).annotate(
        acknowledged_count=Count("acknowledgements")
    )


def guidelines_acknowledgement_status(
    *, organization: Organization, version: GuidelinesVersion
) -> list[dict[str, Any]]:
    """Every active member and when (if ever) they acknowledged this version."""
    acknowledged = dict(
        GuidelinesAcknowledgement.objects.for_org(organization)
        .filter(version=version)
        .values_list("membership_id", "acknowledged_at")
    )
    members = (
        Membership.objects.for_org(organization)
        .filter(is_active=True)
        .select_related("user", "team")
    )
    return [{"membership": m, "acknowledged_at": acknowledged.get(m.pk)} for m in members]


# --- the library (curators) ---------------------------------------------------------


def topic_list(*, organization: Organization) -> QuerySet[Topic]:
    return Topic.objects.for_org(organization)


def _search(items: QuerySet[ContentItem], query: str) -> QuerySet[ContentItem]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # "simple" because items are in English and Bahasa Indonesia, which has no stemmer.
        vector = (
            SearchVector("title", weight="A", config="simple")
            + SearchVector("preview_title", weight="A", config="simple")
            + SearchVector("description", weight="B", config="simple")
            + SearchVector("preview_description", weight="B", config="simple")
            + SearchVector("internal_notes", weight="C", config="simple")
        )
        search = SearchQuery(query, search_type="websearch", config="simple")
        return (
            items.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "-id")
        )
    words = query.split()
    for word in words:
        items = items.filter(
            Q(title__icontains=word)
            | Q(preview_title__icontains=word)
            | Q(description__icontains=word)
            | Q(preview_description__icontains=word)
            | Q(internal_notes__icontains=word)
        )
    return items


def content_list(
    *,
    organization: Organization,
    search: str = "",
    status: str = "",
    topic: int | None = None,
    kind: str = "",
    language: str = "",
    audience: str = "",
    created_from: datetime.date | None = None,
    created_to: datetime.date | None = None,
) -> QuerySet[ContentItem]:
    """The curators' library, filtered. `audience` is "everyone", "team-<id>",
    "role-<role>" or "location-<name>"."""
    items = ContentItem.objects.for_org(organization)
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    if language:
        items = items.filter(language=language)
    if topic:
        items = items.filter(
            Exists(
                ContentTopic.objects.for_org(organization).filter(
                    content=OuterRef("pk"), topic_id=topic
                )
            )
        )
    if audience == "everyone":
        items = items.filter(audience_everyone=True)
    elif audience.partition("-")[0] in ("team", "role", "location") and audience.partition("-")[2]:
        kind_, _sep, value = audience.partition("-")
        lookup = {"team_id": value} if kind_ == "team" else {kind_: value}
        if kind_ == "team" and not value.isdigit():
            return items.none()
        items = items.filter(
            Exists(
                ContentAudience.objects.for_org(organization).filter(
                    content=OuterRef("pk"), **lookup
                )
            )
        )
    if created_from:
        items = items.filter(created_at__date__gte=created_from)
    if created_to:
        items = items.filter(created_at__date__lte=created_to)
    items = (
        items.prefetch_related(Prefetch("topics", queryset=Topic.objects.for_org(organization)))
        .annotate(caption_count=Count("captions", distinct=True))
        .order_by("-is_featured", "-created_at", "-id")
    )
    if search.strip():
        items = _search(items, search.strip())
    return items


def content_get(*, organization: Organization, pk: int) -> ContentItem | None:
    return ContentItem.objects.for_org(organization).filter(pk=pk).first()


def content_events(*, organization: Organization, content: ContentItem) -> QuerySet[ContentEvent]:
    return (
        ContentEvent.objects.for_org(organization)
        .filter(content=content)
        .select_related("actor__user")
    )


def review_queue(*, organization: Organization, membership: Membership) -> QuerySet[ContentItem]:
    """What waits for this reviewer: items in review, plus compliance review for HR admins."""
    statuses = [ContentItem.Status.IN_REVIEW]
    if membership.is_admin:
        statuses.append(ContentItem.Status.COMPLIANCE_REVIEW)
    return (
        ContentItem.objects.for_org(organization).filter(status__in=statuses).order_by("created_at")
    )


def suggestion_list(
    *, organization: Organization, status: str = Suggestion.Status.NEW
) -> QuerySet[Suggestion]:
    items = Suggestion.objects.for_org(organization).select_related("suggested_by__user")
    return items.filter(status=status) if status else items


def feed_source_list(*, organization: Organization) -> QuerySet[FeedSource]:
    return FeedSource.objects.for_org(organization).select_related("topic")


# --- training -------------------------------------------------------------------------


def course_list_for_member(
    *, organization: Organization, membership: Membership
) -> list[dict[str, Any]]:
    """Published courses assigned to the member, with their progress."""
    courses = (
        Course.objects.for_org(organization)
        .filter(is_published=True)
        .filter(
            _audience_filter(
                organization=organization,
                membership=membership,
                rules=CourseAudience,
                owner="course",
            )
        )
        .annotate(lesson_count=Count("lessons", distinct=True))
    )
    done = dict(
        LessonProgress.objects.for_org(organization)
        .filter(membership=membership)
        .values("lesson__course_id")
        .annotate(n=Count("id"))
        .values_list("lesson__course_id", "n")
    )
    completed = set(
        CourseCompletion.objects.for_org(organization)
        .filter(membership=membership)
        .values_list("course_id", flat=True)
    )
    return [
        {
            "course": course,
            "done": done.get(course.pk, 0),
            "total": course.lesson_count,
            "percent": round(100 * done.get(course.pk, 0) / course.lesson_count)
            if course.lesson_count
            else 0,
            "completed": course.pk in completed,
        }
        for course in courses
    ]


def course_assigned_to(
    *, organization: Organization, course: Course, membership: Membership
) -> bool:
    return (
        Course.objects.for_org(organization)
        .filter(pk=course.pk)
        .filter(
            _audience_filter(
                organization=organization,
                membership=membership,
                rules=CourseAudience,
                owner="course",
            )
        )
        .exists()
    )


def lessons_with_progress(
    *, organization: Organization, course: Course, membership: Membership
) -> list[dict]:
    lessons = (
        Lesson.objects.for_org(organization).filter(course=course).prefetch_related("questions")
    )
    progress = {
        p.lesson_id: p
        for p in LessonProgress.objects.for_org(organization).filter(
            membership=membership, lesson__course=course
        )
    }
    return [{"lesson": lesson, "progress": progress.get(lesson.pk)} for lesson in lessons]


def course_completion_by_team(
    *, organization: Organization, course: Course
) -> list[dict[str, Any]]:
    """Completion per team among active members (the admins' view): `rate` is the
    completed share (a fraction, shown as every rate is), `percent` its whole-number
    percentage for the API and progress bars."""
    members = Membership.objects.for_org(organization).filter(is_active=True)
    completed = set(
        CourseCompletion.objects.for_org(organization)
        .filter(course=course)
        .values_list("membership_id", flat=True)
    )
    teams = dict(Team.objects.for_org(organization).values_list("id", "name"))
    rows: dict[int | None, dict[str, Any]] = {}
    for member_id, team_id in members.values_list("id", "team_id"):
        row = rows.setdefault(team_id, {"team": teams.get(team_id), "members": 0, "completed": 0})
        row["members"] += 1
        row["completed"] += member_id in completed
    result = sorted(rows.values(), key=lambda r: (r["team"] is None, r["team"] or ""))
    for row in result:
        row["rate"] = row["completed"] / row["members"] if row["members"] else 0.0
        row["percent"] = round(100 * row["rate"])
    return result

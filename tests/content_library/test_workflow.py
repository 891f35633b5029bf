"""Draft → in review → approved → archived, second-step compliance review, rejection
with a note back to the author, banned words, expiry, and the audit trail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy.tenancy.models import Role
from content_library import services
from content_library.models import ContentEvent, ContentItem, LibrarySettings
from content_library.tasks import content_expire_due

from .factories import ApprovedItemFactory, CaptionFactory, ContentItemFactory

pytestmark = pytest.mark.django_db
Status = ContentItem.Status


@pytest.fixture
def curator_a(org_a, member_factory):
    return member_factory(org_a, Role.CURATOR)


def _actions(item):
    return list(
        ContentEvent.objects.filter(content=item)
        .order_by("created_at", "id")
        .values_list("action", "from_status", "to_status")
    )


def test_draft_to_approved_ticks_onboarding(
    org_a, curator_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.content_create(
            organization=org_a, actor=curator_a, data={"title": "Plant opening", "kind": "text"}
        )
        services.content_submit(organization=org_a, actor=curator_a, content=item)
        services.content_approve(organization=org_a, actor=admin_a, content=item)
    item.refresh_from_db()
    assert item.status == Status.APPROVED and item.approved_by == admin_a and item.approved_at
    assert ContentItem.objects.for_org(org_a).shareable().filter(pk=item.pk).exists()
    org_a.refresh_from_db()
    assert org_a.onboarding.get("add_content") is True
    assert _actions(item) == [
        ("created", "", "draft"),
        ("submitted", "draft", "in_review"),
        ("approved", "in_review", "approved"),
    ]


def test_only_items_in_review_can_be_approved(org_a, admin_a):
    item = ContentItemFactory(organization=org_a)
    with pytest.raises(ValidationError):
        services.content_approve(organization=org_a, actor=admin_a, content=item)
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_compliance_step_needs_a_different_hr_admin(
    org_a, curator_a, admin_a, member_factory, django_capture_on_commit_callbacks
):
    LibrarySettings.objects.create(organization=org_a, compliance_review_required=True)
    compliance = member_factory(org_a, Role.ADMIN)
    item = ContentItemFactory(organization=org_a, status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_approve(organization=org_a, actor=admin_a, content=item)
    item.refresh_from_db()
    assert item.status == Status.COMPLIANCE_REVIEW
    assert not ContentItem.objects.for_org(org_a).shareable().filter(pk=item.pk).exists()
    with pytest.raises(ValidationError, match="someone other"):
        services.content_approve(organization=org_a, actor=admin_a, content=item)
    with pytest.raises(ValidationError, match="HR admin"):
        services.content_approve(organization=org_a, actor=curator_a, content=item)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_approve(organization=org_a, actor=compliance, content=item)
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    assert [a for a, *_ in _actions(item)] == ["approved", "compliance_approved"]
    assert ContentItem.objects.for_org(org_a).shareable().filter(pk=item.pk).exists()


def test_rejection_sends_the_note_back_to_the_author(
    org_a, curator_a, admin_a, django_capture_on_commit_callbacks
):
    curator_a.user.preferred_language = "id"
    curator_a.user.save()
    item = ContentItemFactory(organization=org_a, created_by=curator_a.user)
    services.content_submit(organization=org_a, actor=curator_a, content=item)
    with pytest.raises(ValidationError):
        services.content_reject(organization=org_a, actor=admin_a, content=item, note="   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.content_reject(
            organization=org_a, actor=admin_a, content=item, note="Please link the press release."
        )
    item.refresh_from_db()
    assert item.status == Status.DRAFT and item.rejection_note == "Please link the press release."
    assert _actions(item)[-1] == ("rejected", "in_review", "draft")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [curator_a.user.email]
    assert "Please link the press release." in message.body
    assert message.alternatives and "Please link the press release." in message.alternatives[0][0]
    assert "Perubahan" in message.subject  # in the author's language
    services.content_submit(organization=org_a, actor=curator_a, content=item)
    item.refresh_from_db()
    assert item.rejection_note == ""


def test_banned_words_block_approval_but_not_drafts(org_a, curator_a, admin_a):
    LibrarySettings.objects.create(organization=org_a, banned_words="guaranteed returns\nCrypto")
    item = ContentItemFactory(organization=org_a, status=Status.IN_REVIEW)
    services.content_set_captions(
        organization=org_a,
        actor=curator_a,
        content=item,
        captions=[("linkedin", "GUARANTEED returns with our crypto fund!")],
    )
    with pytest.raises(ValidationError) as exc:
        services.content_approve(organization=org_a, actor=admin_a, content=item)
    assert "Crypto" in exc.value.messages[0] and "guaranteed returns" in exc.value.messages[0]
    item.refresh_from_db()
    assert item.status == Status.IN_REVIEW
    # whole words only: "cryptography" is fine
    services.content_set_captions(
        organization=org_a,
        actor=curator_a,
        content=item,
        captions=[("linkedin", "Our cryptography team")],
    )
    services.content_approve(organization=org_a, actor=admin_a, content=item)


def test_captions_over_the_network_limit_are_refused_and_nothing_changes(org_a, curator_a):
    item = ContentItemFactory(organization=org_a)
    CaptionFactory(content=item, network="x", text="keep me")
    long_link = "https://example.com/" + "a" * 400
    services.content_set_captions(
        organization=org_a, actor=curator_a, content=item, captions=[("x", "Read " + long_link)]
    )
    with pytest.raises(ValidationError):
        services.content_set_captions(
            organization=org_a, actor=curator_a, content=item, captions=[("x", "a" * 281)]
        )
    assert list(item.captions.values_list("text", flat=True)) == ["Read " + long_link]


def test_editing_an_approved_item_under_compliance_sends_it_back_to_draft(org_a, curator_a):
    LibrarySettings.objects.create(organization=org_a, compliance_review_required=True)
    item = ApprovedItemFactory(organization=org_a, title="Old")
    services.content_update(
        organization=org_a, actor=curator_a, content=item, data={"is_featured": True}
    )
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    services.content_update(
        organization=org_a, actor=curator_a, content=item, data={"title": "New"}
    )
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    event = ContentEvent.objects.filter(content=item).first()
    assert event.changes == {"title": ["Old", "New"]} and event.actor == curator_a


def test_bulk_approve_reports_each_item(org_a, admin_a):
    ready = ContentItemFactory(organization=org_a, status=Status.IN_REVIEW)
    draft = ContentItemFactory(organization=org_a)
    foreign = ContentItemFactory(status=Status.IN_REVIEW)
    done, failed = services.content_bulk_action(
        organization=org_a,
        actor=admin_a,
        content_ids=[ready.pk, draft.pk, foreign.pk],
        action="approve",
    )
    assert [i.pk for i in done] == [ready.pk] and list(failed) == [draft.pk]
    foreign.refresh_from_db()
    assert foreign.status == Status.IN_REVIEW


def test_expired_items_leave_the_feed_and_are_archived_by_beat(org_a, org_b):
    past = timezone.now() - datetime.timedelta(hours=1)
    gone = ApprovedItemFactory(organization=org_a, expires_at=past)
    theirs = ApprovedItemFactory(organization=org_b, expires_at=past)
    live = ApprovedItemFactory(
        organization=org_a, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert list(ContentItem.objects.for_org(org_a).shareable()) == [live]
    assert content_expire_due.apply().get() == 2
    for item, expected in [
        (gone, Status.ARCHIVED),
        (theirs, Status.ARCHIVED),
        (live, Status.APPROVED),
    ]:
        item.refresh_from_db()
        assert item.status == expected
    assert _actions(gone) == [("expired", "approved", "archived")]
    assert content_expire_due.apply().get() == 0  # idempotent


def test_archive_and_restore(org_a, admin_a):
    item = ApprovedItemFactory(organization=org_a)
    services.content_archive(organization=org_a, actor=admin_a, content=item)
    services.content_restore(organization=org_a, actor=admin_a, content=item)
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert [a for a, *_ in _actions(item)] == ["archived", "restored"]

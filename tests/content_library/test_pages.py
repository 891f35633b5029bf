"""The library pages: roles, forms through services, query counts, and another org's 404."""

import pytest
from django.urls import reverse

from advocacy.tenancy.models import Role
from content_library import services
from content_library.models import Caption, ContentItem, GuidelinesAcknowledgement, Suggestion

from .factories import (
    ApprovedItemFactory,
    CaptionFactory,
    ContentItemFactory,
    GuidelinesFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def url(org, name, **kwargs):
    return reverse(f"content_library:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def curator_a(org_a, member_factory):
    return member_factory(org_a, Role.CURATOR)


def test_library_lists_with_a_bounded_number_of_queries(
    web, org_a, curator_a, django_assert_max_num_queries
):
    topic = TopicFactory(organization=org_a)
    for n in range(15):
        item = ContentItemFactory(organization=org_a, title=f"Item {n}")
        item.topics.through.objects.create(organization=org_a, content=item, topic=topic)
        CaptionFactory(content=item)
    client = web.as_member(curator_a)
    with django_assert_max_num_queries(20):
        response = client.get(url(org_a, "library"))
    assert response.status_code == 200
    assert response.content.decode().count('name="items"') == 15


def test_library_search_and_filters(web, org_a, curator_a):
    ContentItemFactory(organization=org_a, title="Solar plant opens")
    ApprovedItemFactory(organization=org_a, title="Quarterly results", kind="document")
    client = web.as_member(curator_a)
    page = client.get(url(org_a, "library"), {"q": "solar"}).content.decode()
    assert "Solar plant opens" in page and "Quarterly results" not in page
    page = client.get(
        url(org_a, "library"), {"status": "approved", "kind": "document"}
    ).content.decode()
    assert "Quarterly results" in page and "Solar plant opens" not in page


def test_employees_cannot_open_the_library(web, org_a, employee_a):
    assert web.as_member(employee_a).get(url(org_a, "library")).status_code == 403


def test_curator_creates_an_item_with_two_captions(web, org_a, curator_a):
    response = web.as_member(curator_a).post(
        url(org_a, "item_create"),
        {
            "kind": "text",
            "title": "We are hiring",
            "description": "Join the team",
            "language": "en",
            "captions-TOTAL_FORMS": "2",
            "captions-INITIAL_FORMS": "0",
            "captions-0-network": "x",
            "captions-0-text": "We are hiring! https://acme.example/jobs #jobs",
            "captions-1-network": "linkedin",
            "captions-1-text": "Our team is growing.",
        },
    )
    item = ContentItem.objects.get(title="We are hiring")
    assert response.status_code == 302 and response.url == url(org_a, "item_edit", pk=item.pk)
    assert list(item.captions.values_list("network", "text")) == [
        ("x", "We are hiring! https://acme.example/jobs #jobs"),
        ("linkedin", "Our team is growing."),
    ]
    page = web.get(response.url).content.decode()
    assert "Submit for review" in page and "network-limits" in page


def test_a_caption_over_the_x_limit_is_shown_as_an_error_and_nothing_is_saved(
    web, org_a, curator_a
):
    response = web.as_member(curator_a).post(
        url(org_a, "item_create"),
        {
            "kind": "text",
            "title": "Too long",
            "language": "en",
            "captions-TOTAL_FORMS": "1",
            "captions-INITIAL_FORMS": "0",
            "captions-0-network": "x",
            "captions-0-text": "a" * 281,
        },
    )
    assert response.status_code == 400 and "the limit is 280" in response.content.decode()
    assert not ContentItem.objects.exists()


def test_reviewer_approves_and_rejects_from_the_page(web, org_a, admin_a, curator_a):
    item = ContentItemFactory(organization=org_a, status="in_review", created_by=curator_a.user)
    client = web.as_member(admin_a)
    client.post(url(org_a, "item_reject", pk=item.pk), {"note": "Needs a picture"})
    item.refresh_from_db()
    assert item.status == "draft" and item.rejection_note == "Needs a picture"
    assert "Needs a picture" in client.get(url(org_a, "item_edit", pk=item.pk)).content.decode()
    client.post(url(org_a, "item_submit", pk=item.pk))
    client.post(url(org_a, "bulk"), {"items": [item.pk], "action": "approve"})
    item.refresh_from_db()
    assert item.status == "approved"


def test_employee_suggests_and_curator_sees_it(web, org_a, employee_a, curator_a):
    client = web.as_member(employee_a)
    assert client.post(url(org_a, "suggest"), {"url": "javascript:alert(1)"}).status_code == 400
    client.post(
        url(org_a, "suggest"),
        {"url": "https://news.example.com/acme", "comment": "We are in the news!"},
    )
    assert Suggestion.objects.get().suggested_by == employee_a
    page = web.as_member(curator_a).get(url(org_a, "suggestions")).content.decode()
    assert "We are in the news!" in page


def test_guidelines_page_acknowledges_and_returns_to_the_feed(web, org_a, employee_a):
    GuidelinesFactory(organization=org_a, body="<p>Be kind</p><script>alert(1)</script>")
    client = web.as_member(employee_a)
    page = client.get(url(org_a, "guidelines")).content.decode()
    assert "Be kind" in page and "<script>alert(1)" not in page
    response = client.post(url(org_a, "guidelines"), {"next": f"/o/{org_a.slug}/feed/"})
    assert response.status_code == 302 and response.url == f"/o/{org_a.slug}/feed/"
    assert GuidelinesAcknowledgement.objects.filter(membership=employee_a).exists()
    # an outside address is never a redirect target
    response = client.post(url(org_a, "guidelines"), {"next": "https://evil.example/"})
    assert response.url == url(org_a, "guidelines")


def test_another_orgs_item_is_404_and_unchanged(web, org_a, org_b, admin_a):
    theirs = ContentItemFactory(organization=org_b, title="Theirs", status="in_review")
    Caption.objects.create(organization=org_b, content=theirs, text="secret")
    client = web.as_member(admin_a)
    assert client.get(url(org_a, "item_edit", pk=theirs.pk)).status_code == 404
    assert client.post(url(org_a, "item_approve", pk=theirs.pk)).status_code == 404
    assert (
        client.post(
            url(org_a, "item_edit", pk=theirs.pk), {"title": "Pwned", "kind": "text"}
        ).status_code
        == 404
    )
    client.post(url(org_a, "bulk"), {"items": [theirs.pk], "action": "approve"})
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Theirs", "in_review")
    assert list(theirs.captions.values_list("text", flat=True)) == ["secret"]


def test_training_pages_show_progress(web, org_a, admin_a, employee_a):
    course = services.course_save(organization=org_a, title="Sharing 101", is_published=True)
    lesson = services.lesson_save(
        organization=org_a, course=course, title="Why share", body="<p>Because</p>"
    )
    client = web.as_member(employee_a)
    assert "Sharing 101" in client.get(url(org_a, "training")).content.decode()
    client.post(url(org_a, "lesson", pk=lesson.pk))
    assert "1 of 1 lessons done" in client.get(url(org_a, "course", pk=course.pk)).content.decode()
    page = web.as_member(admin_a).get(url(org_a, "course_manage", pk=course.pk)).content.decode()
    assert "completion-by-team" in page

"""The content library API: curators' library and workflow, suggestions, guidelines,
training, and the two-organization case for each kind of object."""

import pytest

from advocacy.tenancy.models import Role, Team
from content_library.models import (
    Caption,
    ContentItem,
    Course,
    CourseCompletion,
    FeedSource,
    GuidelinesAcknowledgement,
    Lesson,
    QuizQuestion,
    Suggestion,
)

from .factories import ContentItemFactory, GuidelinesFactory, TopicFactory

pytestmark = pytest.mark.django_db


def base(org):
    return f"/api/v1/orgs/{org.slug}"


@pytest.fixture
def curator_a(org_a, member_factory):
    return member_factory(org_a, Role.CURATOR)


def test_curator_creates_an_item_with_captions_topics_and_audience(api, org_a, curator_a):
    topic = TopicFactory(organization=org_a)
    team = Team.objects.create(organization=org_a, name="Sales")
    response = api.as_member(curator_a).post(
        f"{base(org_a)}/library/items/",
        {
            "kind": "text",
            "title": "We are hiring",
            "topics": [topic.pk],
            "captions": [
                {"network": "x", "text": "Join us! #hiring"},
                {"network": "", "text": "Great team"},
            ],
            "audience": {"teams": [team.pk], "roles": ["employee"]},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["topics"] == [topic.pk]
    assert body["captions"] == [
        {"network": "x", "text": "Join us! #hiring"},
        {"network": "", "text": "Great team"},
    ]
    assert body["audience"] == {"teams": [team.pk], "locations": [], "roles": ["employee"]}
    assert body["audience_everyone"] is False


def test_full_workflow_over_the_api(api, org_a, curator_a, admin_a):
    item = ContentItemFactory(organization=org_a, kind="text")
    client = api.as_member(curator_a)
    url = f"{base(org_a)}/library/items/{item.pk}"
    assert client.post(f"{url}/approve/").status_code == 400  # a draft cannot be approved
    assert client.post(f"{url}/submit/").json()["status"] == "in_review"
    rejected = client.post(f"{url}/reject/", {"note": "Add a caption"}, format="json").json()
    assert rejected["status"] == "draft" and rejected["rejection_note"] == "Add a caption"
    client.post(f"{url}/submit/")
    assert client.post(f"{url}/approve/").json()["status"] == "approved"
    history = client.get(f"{url}/history/").json()
    assert [h["action"] for h in history] == ["approved", "submitted", "rejected", "submitted"]
    assert history[0]["actor"] == curator_a.user.email


def test_employees_cannot_use_the_library_but_can_suggest(api, org_a, employee_a):
    client = api.as_member(employee_a)
    assert client.get(f"{base(org_a)}/library/items/").status_code == 403
    response = client.post(
        f"{base(org_a)}/library/suggestions/",
        {"url": "https://example.com/great", "comment": "Nice"},
        format="json",
    )
    assert response.status_code == 201
    assert client.get(f"{base(org_a)}/library/suggestions/").json()["count"] == 1
    assert (
        client.post(
            f"{base(org_a)}/library/suggestions/{response.json()['id']}/accept/"
        ).status_code
        == 403
    )


def test_curator_accepts_a_suggestion_into_a_draft(api, org_a, curator_a, employee_a):
    suggestion = Suggestion.objects.create(
        organization=org_a,
        suggested_by=employee_a,
        url="https://example.com/x",
        comment="Share this",
    )
    response = api.as_member(curator_a).post(
        f"{base(org_a)}/library/suggestions/{suggestion.pk}/accept/"
    )
    assert response.status_code == 201
    item = ContentItem.objects.get(pk=response.json()["content"])
    assert (
        item.status == "draft"
        and item.origin == "suggestion"
        and item.url == "https://example.com/x"
    )
    assert "Share this" in item.internal_notes


def test_list_filters_and_search(api, org_a, curator_a):
    ContentItemFactory(organization=org_a, title="Solar plant opens", kind="article")
    ContentItemFactory(
        organization=org_a, title="Quarterly results", kind="document", status="approved"
    )
    client = api.as_member(curator_a)

    def titles(query):
        return [
            i["title"]
            for i in client.get(f"{base(org_a)}/library/items/?{query}").json()["results"]
        ]

    assert titles("q=solar") == ["Solar plant opens"]
    assert titles("status=approved") == ["Quarterly results"]
    assert titles("kind=article") == ["Solar plant opens"]


def test_settings_are_for_hr_admins(api, org_a, admin_a, curator_a):
    url = f"{base(org_a)}/library/settings/"
    assert api.as_member(curator_a).get(url).status_code == 403
    response = api.as_member(admin_a).patch(
        url, {"disclosure": "#iworkforacme", "disclosure_required": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["disclosure"] == "#iworkforacme"


def test_guidelines_publish_acknowledge_and_who_acknowledged(api, org_a, admin_a, employee_a):
    admin = api.as_member(admin_a)
    response = admin.post(
        f"{base(org_a)}/guidelines/versions/",
        {
            "title": "Guidelines",
            "body": "<p onclick='x()'>Be kind<script>alert(1)</script></p>",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["body"] == "<p>Be kind</p>" and response.json()["number"] == 1
    from rest_framework.test import APIClient

    employee = APIClient()
    employee.credentials(
        HTTP_AUTHORIZATION=api.as_member(employee_a)._credentials["HTTP_AUTHORIZATION"]
    )
    assert employee.get(f"{base(org_a)}/guidelines/versions/status/").json() == {
        "acknowledged": False
    }
    assert employee.post(f"{base(org_a)}/guidelines/versions/acknowledge/").status_code == 200
    assert employee.get(f"{base(org_a)}/guidelines/versions/status/").json() == {
        "acknowledged": True
    }
    assert (
        employee.post(
            f"{base(org_a)}/guidelines/versions/", {"title": "x", "body": "y"}, format="json"
        ).status_code
        == 403
    )
    admin.credentials(HTTP_AUTHORIZATION=api.as_member(admin_a)._credentials["HTTP_AUTHORIZATION"])
    rows = admin.get(
        f"{base(org_a)}/guidelines/versions/{response.json()['id']}/acknowledgements/"
    ).json()
    assert {r["email"]: bool(r["acknowledged_at"]) for r in rows} == {
        admin_a.user.email: False,
        employee_a.user.email: True,
    }


def test_training_over_the_api_hides_answers_and_completes_the_course(
    api, org_a, admin_a, employee_a
):
    admin = api.as_member(admin_a)
    course = admin.post(
        f"{base(org_a)}/training/courses/",
        {"title": "Sharing 101", "is_published": True},
        format="json",
    ).json()
    lesson = admin.post(
        f"{base(org_a)}/training/lessons/",
        {"course": course["id"], "title": "Why share", "body": "<p>Hi</p>"},
        format="json",
    ).json()
    question = admin.post(
        f"{base(org_a)}/training/questions/",
        {
            "lesson": lesson["id"],
            "prompt": "Say you work here?",
            "choices": ["No", "Yes"],
            "correct_index": 1,
        },
        format="json",
    )
    assert question.status_code == 201
    from rest_framework.test import APIClient

    employee = APIClient()
    employee.credentials(
        HTTP_AUTHORIZATION=api.as_member(employee_a)._credentials["HTTP_AUTHORIZATION"]
    )
    seen = employee.get(f"{base(org_a)}/training/lessons/{lesson['id']}/").json()
    assert "correct_index" not in seen["questions"][0]
    qid = seen["questions"][0]["id"]
    wrong = employee.post(
        f"{base(org_a)}/training/lessons/{lesson['id']}/complete/",
        {"answers": {str(qid): 0}},
        format="json",
    )
    assert wrong.status_code == 400
    assert not CourseCompletion.objects.exists()
    right = employee.post(
        f"{base(org_a)}/training/lessons/{lesson['id']}/complete/",
        {"answers": {str(qid): 1}},
        format="json",
    )
    assert right.status_code == 200 and right.json()["quiz_score"] == 100
    assert CourseCompletion.objects.filter(membership=employee_a, course_id=course["id"]).exists()


# --- two organizations: acting in org A on org B's objects is a 404 and changes nothing ---------


@pytest.fixture
def foreign(org_b, admin_b):
    item = ContentItemFactory(organization=org_b, title="Theirs", status="in_review")
    Caption.objects.create(organization=org_b, content=item, network="x", text="secret")
    course = Course.objects.create(organization=org_b, title="Their course", is_published=True)
    lesson = Lesson.objects.create(organization=org_b, course=course, title="Their lesson")
    return {
        "item": item,
        "source": FeedSource.objects.create(
            organization=org_b, name="Their feed", url="https://b.example.com/rss"
        ),
        "suggestion": Suggestion.objects.create(
            organization=org_b, suggested_by=admin_b, url="https://b.example.com/x"
        ),
        "guidelines": GuidelinesFactory(organization=org_b),
        "course": course,
        "lesson": lesson,
        "question": QuizQuestion.objects.create(
            organization=org_b, lesson=lesson, prompt="?", choices=["a", "b"], correct_index=0
        ),
        "topic": TopicFactory(organization=org_b),
    }


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("get", "library/items/{item}/", None),
        ("patch", "library/items/{item}/", {"title": "Pwned"}),
        ("delete", "library/items/{item}/", None),
        ("post", "library/items/{item}/approve/", None),
        ("post", "library/items/{item}/reject/", {"note": "x"}),
        ("get", "library/items/{item}/history/", None),
        ("patch", "library/sources/{source}/", {"name": "Pwned"}),
        ("post", "library/sources/{source}/poll/", None),
        ("post", "library/suggestions/{suggestion}/accept/", None),
        ("get", "guidelines/versions/{guidelines}/acknowledgements/", None),
        ("patch", "training/courses/{course}/", {"title": "Pwned"}),
        ("post", "training/lessons/{lesson}/complete/", {}),
        ("delete", "training/questions/{question}/", None),
        ("patch", "library/topics/{topic}/", {"name": "Pwned"}),
    ],
)
def test_another_orgs_objects_are_404_and_unchanged(
    api, org_a, org_b, admin_a, foreign, method, path, payload
):
    ids = {key: obj.pk for key, obj in foreign.items()}
    response = getattr(api.as_member(admin_a), method)(
        f"{base(org_a)}/{path.format(**ids)}", payload, format="json"
    )
    assert response.status_code == 404
    item = foreign["item"]
    item.refresh_from_db()
    assert (item.title, item.status) == ("Theirs", "in_review")
    assert list(item.captions.values_list("text", flat=True)) == ["secret"]
    assert FeedSource.objects.get(pk=foreign["source"].pk).name == "Their feed"
    assert Suggestion.objects.get(pk=foreign["suggestion"].pk).status == "new"
    assert Course.objects.get(pk=foreign["course"].pk).title == "Their course"
    assert QuizQuestion.objects.filter(pk=foreign["question"].pk).exists()
    assert not CourseCompletion.objects.exists() and not GuidelinesAcknowledgement.objects.exists()
    assert ContentItem.objects.filter(organization=org_a).count() == 0


def test_referencing_another_orgs_topic_or_team_reads_like_a_missing_one(
    api, org_a, admin_a, foreign, org_b
):
    team_b = Team.objects.create(organization=org_b, name="Their team")
    client = api.as_member(admin_a)
    response = client.post(
        f"{base(org_a)}/library/items/",
        {
            "kind": "text",
            "title": "x",
            "topics": [foreign["topic"].pk],
            "audience": {"teams": [team_b.pk]},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "topics" in response.json()["errors"] and "audience" in response.json()["errors"]
    assert not ContentItem.objects.filter(organization=org_a).exists()

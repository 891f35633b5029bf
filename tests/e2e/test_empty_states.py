"""Empty states say what to do next (issue 17).

A brand-new organization has nothing in it: every list page of every role's menu then
shows one empty state (the shared partial, data-testid="empty-state") with a sentence
that says what the list is for and what happens next, and, where the viewer may create
the first entry, a link to the page (or the form on the page) that creates it. Where the
viewer may not, there is no such link: an employee is told who will fill the list. Read
the way a person reads the page, in English and in Bahasa Indonesia."""

from __future__ import annotations

import pytest
from django.conf import settings
from lxml import html

from advocacy.tenancy.models import Role
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

OWNER, CURATOR, MANAGER, EMPLOYEE = Role.OWNER, Role.CURATOR, Role.MANAGER, Role.EMPLOYEE
ALL = (OWNER, CURATOR, MANAGER, EMPLOYEE)

# page (under /o/<slug>/): {role who sees it: where the empty state's action leads, or None}
PAGES = {
    "share/": {OWNER: "library/new/", CURATOR: "library/new/", MANAGER: None, EMPLOYEE: None},
    "shares/": dict.fromkeys(ALL, "share/"),
    "campaigns/": {OWNER: "campaigns/new/", CURATOR: "campaigns/new/"},
    "library/": {OWNER: "library/new/", CURATOR: "library/new/"},
    "library/review/": {OWNER: None, CURATOR: None},
    "library/suggestions/": {OWNER: None, CURATOR: None},
    "library/sources/": {OWNER: None, CURATOR: None},
    "recognition/": dict.fromkeys(ALL, "#shoutout"),
    "recognition/leaderboards/": dict.fromkeys(ALL),
    "recognition/rewards/": {
        OWNER: "recognition/admin/rewards/",
        CURATOR: None,
        MANAGER: None,
        EMPLOYEE: None,
    },
    "surveys/": dict.fromkeys(ALL),
    "surveys/manage/": {OWNER: "surveys/new/", MANAGER: None},
    "surveys/one-on-ones/": dict.fromkeys(ALL),
    "training/": {OWNER: "#new-course", CURATOR: None, MANAGER: None, EMPLOYEE: None},
    "guidelines/": {OWNER: "#publish", CURATOR: None, MANAGER: None, EMPLOYEE: None},
    "sharing/failed/": {OWNER: None},
    "sharing/digests/": {OWNER: None},
    "people/invitations/": {OWNER: "people/import/"},
    "people/teams/": {OWNER: "people/import/"},
    "audit/": {OWNER: None},
}


@pytest.fixture
def empty_org():
    org = OrganizationFactory(name="Brand New Co", slug="brand-new-co")
    people = {role: MembershipFactory(organization=org, role=role) for role in ALL}
    return org, people


def _empty_states(page_html: str) -> list[dict]:
    tree = html.fromstring(page_html)
    found = []
    for box in tree.xpath('//main//*[@data-testid="empty-state"]'):
        text = " ".join(box.xpath('string(.//*[@data-testid="empty-state-text"])').split())
        links = box.xpath('.//a[@data-testid="empty-state-action"]')
        found.append(
            {
                "text": text,
                "href": links[0].get("href") if links else None,
                "label": " ".join(links[0].text_content().split()) if links else "",
            }
        )
    return found


def _is_sentence(text: str) -> bool:
    return len(text.split()) >= 5 and text[:1].isupper() and text.endswith((".", "!"))


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_list_page_of_an_empty_organization_says_what_to_do_next(client, empty_org, language):
    org, people = empty_org
    problems, texts = [], {}
    for role in ALL:
        client.force_login(people[role].user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # logout() drops cookies
        for page, roles in PAGES.items():
            url = f"/o/{org.slug}/{page}"
            response = client.get(url)
            if role not in roles:
                assert response.status_code in (403, 404), f"{role} {url}"
                continue
            assert response.status_code == 200, f"{role} {url}"
            states = _empty_states(response.content.decode())
            if not states:
                problems.append(f"{role} {url}: no empty state")
                continue
            state = states[0]
            texts[(role, page)] = state["text"]
            if not _is_sentence(state["text"]):
                problems.append(f"{role} {url}: not a sentence: {state['text']!r}")
            expected = roles[role]
            if expected is None:
                if state["href"]:
                    problems.append(f"{role} {url}: offers {state['href']} it may not use")
            else:
                target = expected if expected.startswith("#") else f"/o/{org.slug}/{expected}"
                if state["href"] != target or not state["label"]:
                    problems.append(f"{role} {url}: action {state['href']!r}, not {target!r}")
                elif not target.startswith("#"):
                    # The action leads somewhere this person may go.
                    assert client.get(target).status_code == 200, f"{role} {target}"
        client.logout()
    assert problems == [], "\n".join(problems)

    # In Bahasa Indonesia the sentences are Indonesian: none is the English one.
    if language == "id":
        english = {}
        for (role, page), _text in texts.items():
            client.force_login(people[role].user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            english_states = _empty_states(client.get(f"/o/{org.slug}/{page}").content.decode())
            english[(role, page)] = english_states[0]["text"]
        same = [key for key, text in texts.items() if text == english[key]]
        assert same == [], f"left in English: {same}"


def test_an_employee_is_told_who_fills_the_feed(client, empty_org):
    org, people = empty_org
    client.force_login(people[EMPLOYEE].user)
    (state,) = _empty_states(client.get(f"/o/{org.slug}/share/").content.decode())
    assert state == {
        "text": "Nothing to share yet: your admins will add content here.",
        "href": None,
        "label": "",
    }

"""The identity provider's metadata URL is fetched by a task, never inside the web request
(issue 15, item 1). Every request here runs under `no_fetch_in_requests`: any outbound call
made while Django handles a request fails the test. The task then runs (eagerly, after the
request's commit) against the local test identity provider, and the owner's page shows
what happened: fetching, loaded, or the worded error."""

from __future__ import annotations

import pytest

from advocacy.audit.models import AuditEntry
from advocacy.identity.models import SamlConnection
from advocacy.tenancy.models import Role
from tests.social.factories import no_fetch_in_requests  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_fetch_in_requests")]

FORM = {
    "attribute_email": "email",
    "attribute_first_name": "firstName",
    "attribute_last_name": "lastName",
    "attribute_team": "team",
    "attribute_role": "role",
}


def _page(org):
    return f"/o/{org.slug}/settings/saml/"


def _state(body: str) -> str | None:
    marker = 'data-testid="saml-metadata-state" data-state="'
    if marker not in body:
        return None
    return body.split(marker, 1)[1].split('"', 1)[0]


def _allow_idp(settings, idp):
    settings.OUTBOUND_ALLOW_LOOPBACK = {int(idp.base_url.rsplit(":", 1)[1])}


def test_saving_a_url_queues_the_fetch_and_the_page_shows_the_loaded_metadata(
    web, org_a, member_factory, idp, settings, django_capture_on_commit_callbacks
):
    _allow_idp(settings, idp)
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    url = f"{idp.base_url}/metadata"
    with django_capture_on_commit_callbacks() as queued:
        saved = client.post(_page(org_a), {**FORM, "metadata_url": url, "enabled": "on"})
    assert saved.status_code == 302
    assert len(queued) == 1
    connection = SamlConnection.objects.for_org(org_a).get()
    assert connection.idp_metadata_url == url and connection.idp_entity_id == ""
    assert not connection.is_ready  # nobody signs in through metadata not yet read

    # while the task has not run: "fetching", a page that refreshes itself, a status answer
    waiting = client.get(_page(org_a)).content.decode()
    assert _state(waiting) == "pending"
    assert "Fetching the metadata from" in waiting and 'http-equiv="refresh"' in waiting
    status = client.get(f"{_page(org_a)}status/")
    assert status.json() == {"status": "pending"} and status["Cache-Control"] == "no-store"

    queued[0]()  # the task, outside the request: fetches from the local IdP

    connection.refresh_from_db()
    assert (connection.idp_entity_id, connection.idp_sso_url) == (
        idp.entity_id,
        f"{idp.base_url}/sso/redirect",
    )
    assert connection.idp_certificates and connection.is_ready
    assert client.get(f"{_page(org_a)}status/").json() == {"status": "loaded"}
    page = client.get(_page(org_a)).content.decode()
    assert _state(page) == "loaded" and "Metadata loaded from" in page
    assert idp.entity_id in page and 'http-equiv="refresh"' not in page
    assert (
        AuditEntry.objects.for_org(org_a)
        .filter(action="saml.settings_changed", details__identity_provider=idp.entity_id)
        .exists()
    )

    # running the task again (a retry) changes nothing
    queued[0]()
    assert SamlConnection.objects.for_org(org_a).get().idp_entity_id == idp.entity_id


def test_a_refused_address_shows_the_worded_error(
    web, org_a, member_factory, idp, django_capture_on_commit_callbacks
):
    # the local IdP listens on loopback, a private address the gate refuses by default
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    with django_capture_on_commit_callbacks() as queued:
        saved = client.post(_page(org_a), {**FORM, "metadata_url": f"{idp.base_url}/metadata"})
    assert saved.status_code == 302
    queued[0]()
    connection = SamlConnection.objects.for_org(org_a).get()
    assert connection.metadata_status == "failed" and connection.idp_entity_id == ""
    page = client.get(_page(org_a)).content.decode()
    assert _state(page) == "failed"
    assert "could not be loaded" in page
    assert "could not be reached" in page or "cannot be used" in page
    assert client.get(f"{_page(org_a)}status/").json() == {"status": "failed"}


def test_a_private_ip_literal_is_refused_by_the_task(
    web, org_a, member_factory, django_capture_on_commit_callbacks
):
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    with django_capture_on_commit_callbacks() as queued:
        client.post(_page(org_a), {**FORM, "metadata_url": "http://10.0.0.7/metadata"})
    queued[0]()
    page = client.get(_page(org_a)).content.decode()
    assert _state(page) == "failed"
    assert "10.0.0.7" in page  # the URL the owner typed, with the reason next to it
    assert "could not be reached" in page or "cannot be used" in page


def test_the_test_action_queues_the_same_fetch(
    web, org_a, member_factory, idp, settings, django_capture_on_commit_callbacks
):
    _allow_idp(settings, idp)
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    with django_capture_on_commit_callbacks() as queued:
        client.post(_page(org_a), {**FORM, "metadata_url": f"{idp.base_url}/metadata"})
    queued[0]()
    with django_capture_on_commit_callbacks() as queued:
        tested = client.post(_page(org_a), {"action": "test"})
    assert tested.status_code == 302 and len(queued) == 1
    assert _state(client.get(_page(org_a)).content.decode()) == "pending"
    queued[0]()
    assert _state(client.get(_page(org_a)).content.decode()) == "loaded"


def test_a_fetch_for_a_replaced_url_does_nothing(
    web, org_a, member_factory, idp, settings, django_capture_on_commit_callbacks
):
    _allow_idp(settings, idp)
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    with django_capture_on_commit_callbacks() as first:
        client.post(_page(org_a), {**FORM, "metadata_url": "http://10.0.0.7/metadata"})
    with django_capture_on_commit_callbacks() as second:
        client.post(_page(org_a), {**FORM, "metadata_url": f"{idp.base_url}/metadata"})
    second[0]()
    first[0]()  # the older fetch arrives late: it must not overwrite the newer outcome
    connection = SamlConnection.objects.for_org(org_a).get()
    assert (connection.metadata_status, connection.idp_entity_id) == ("loaded", idp.entity_id)


def test_uploaded_metadata_needs_no_fetch(web, org_a, member_factory, idp):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    upload = SimpleUploadedFile("idp.xml", idp.metadata_xml().encode(), "text/xml")
    saved = client.post(_page(org_a), {**FORM, "metadata_file": upload, "enabled": "on"})
    assert saved.status_code == 302
    assert SamlConnection.objects.for_org(org_a).get().is_ready
    tested = client.post(_page(org_a), {"action": "test"})
    assert tested.status_code == 200
    assert "signing certificate is valid" in tested.content.decode()


def test_the_fetching_state_in_indonesian(
    web, org_a, member_factory, django_capture_on_commit_callbacks
):
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    client.cookies["django_language"] = "id"
    with django_capture_on_commit_callbacks():
        client.post(_page(org_a), {**FORM, "metadata_url": "http://10.0.0.7/metadata"})
    body = client.get(_page(org_a)).content.decode()
    assert "Mengambil metadata dari" in body

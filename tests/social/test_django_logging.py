"""No token, code or secret reaches the logs during a full connect and publish,
even with every logger at DEBUG."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest

from social import services
from social.crypto import decrypt_token
from social.models import Connection

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import consent, local, queued, social_sandbox, start_connect  # noqa: F401

pytestmark = pytest.mark.django_db
NOISY = ("oauthlib", "requests_oauthlib", "urllib3", "social", "django")


@pytest.mark.parametrize("network", ["linkedin", "x"])
def test_connect_and_publish_log_no_secret(web, employee_a, social_sandbox, caplog, network):
    caplog.set_level(logging.DEBUG)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        client = web.as_member(employee_a)
        back = consent(start_connect(client, employee_a, network)["Location"])
        code = parse_qs(urlsplit(back).query)["code"][0]
        queued(client, local(back))  # the code exchange runs as the queued task
        connection = Connection.objects.get(membership=employee_a)
        first = decrypt_token(connection.token_ciphertext)
        social_sandbox.control.fault(network, status=401)  # force a refresh on the way
        org = employee_a.organization
        publication = services.publication_create(
            organization=org,
            connection=connection,
            text="Logged?",
            link_url="",
            idempotency_key="log",
        )
        assert (
            services.publication_execute(organization=org, publication=publication).status
            == "published"
        )
        connection.refresh_from_db()
        second = decrypt_token(connection.token_ciphertext)
    finally:
        for name in NOISY:
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert caplog.records
    text = "\n".join(r.getMessage() for r in caplog.records)
    secrets = [
        code,
        first.access_token,
        first.refresh_token,
        second.access_token,
        second.refresh_token,
    ]
    assert first.access_token != second.access_token
    for secret in filter(None, secrets):
        assert secret not in text
    assert f"chorus-{network}-secret" not in text

"""Shared by the SAML tests: a started test IdP and one sign-in round trip through it."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
import requests

from advocacy.identity.saml.services import saml_connection_update

from .idp.server import TestIdentityProvider, _hidden_fields, xmlsec1_available


@pytest.fixture(name="idp")
def idp_fixture(tmp_path):
    if not xmlsec1_available():
        pytest.skip("xmlsec1 is not installed (Debian package xmlsec1): the test IdP signs with it")
    server = TestIdentityProvider(tmp_path).start()
    yield server
    server.stop()


def connect(client, organization, idp, **settings):
    """Upload the IdP's metadata as an owner would, and let the IdP trust Chorus's metadata."""
    connection = saml_connection_update(
        organization=organization,
        actor=None,
        metadata_xml=idp.metadata_xml(),
        enabled=True,
        **settings,
    )
    metadata = client.get(f"/accounts/saml/{organization.slug}/metadata/")
    assert metadata.status_code == 200, metadata.content
    idp.trust_service_provider(metadata.content.decode())
    return connection


def round_trip(client, organization, idp, next_url: str = ""):
    """Start at Chorus, let the IdP answer over HTTP, post its form back as a browser would."""
    query = f"?next={next_url}" if next_url else ""
    start = client.get(f"/accounts/saml/{organization.slug}/login/{query}")
    assert start.status_code == 302 and start.url.startswith(idp.base_url), start
    page = requests.get(start.url, timeout=10)
    assert page.status_code == 200, page.text
    action = re.search(r'action="([^"]+)"', page.text)[1]
    fields = dict(_hidden_fields(page.text))
    posted = client.post(urlparse(action).path, fields)
    assert posted.status_code == 302, posted
    return client.get(posted.url)

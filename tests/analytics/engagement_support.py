"""Fixtures and helpers for the engagement and rollup tests: the sandbox network as
the social tests run it, accounts connected through its real OAuth pages, and
shares published through the real campaigns service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from campaigns.models import Share
from campaigns.services.publishing import share_publish
from social import limits
from social.sandbox.testing import SandboxHandle, run_sandbox
from social.services import connection_save
from tests.campaigns.factories import ContentFactory
from tests.social.conftest import connect


@pytest.fixture(scope="session")
def sandbox_network() -> Iterator[SandboxHandle]:
    with run_sandbox() as handle:
        yield handle


@pytest.fixture
def sandbox(sandbox_network, settings):
    """A fresh sandbox that the Django side talks to, with in-process rate-limit buckets."""
    sandbox_network.control.reset()
    settings.SANDBOX_URL = sandbox_network.base_url
    settings.SOCIAL_PROVIDERS = {}
    settings.LINKEDIN_API_VERSION = ""  # last month's version, which the sandbox serves
    settings.SOCIAL_REDIS_URL = ""
    limits.reset()
    yield sandbox_network
    limits.reset()


def connect_account(sandbox: SandboxHandle, membership, network: str, handle: str):
    _provider, token, profile = connect(sandbox, network, handle=handle)
    return connection_save(
        organization=membership.organization,
        membership=membership,
        network=network,
        token=token,
        profile=profile,
    )


def publish(connection, *, campaign=None, content=None, capture) -> Share:
    """Publish a share through the campaigns service (and let SharePublished run)."""
    organization = connection.organization
    content = content or ContentFactory(organization=organization)
    share = Share.objects.create(
        organization=organization,
        membership=connection.membership,
        content=content,
        campaign=campaign,
        channel=connection.network,
        connection=connection,
        text="Proud of the team behind this",
        status=Share.Status.PENDING,
        scheduled_at=timezone.now() - dt.timedelta(seconds=1),
    )
    with capture(execute=True):
        share_publish(organization=organization, share_id=share.pk)
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED, share.error
    return share

"""A wrong SOCIAL_TOKEN_KEYS is our configuration mistake: connections pause as
"configuration", nobody is told to reconnect, no e-mail goes out, and when the right
key is back everything resumes by itself (real encrypted rows, the real sandbox)."""

from __future__ import annotations

import datetime

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from advocacy.health import run_checks
from campaigns import services
from campaigns.models import Share
from campaigns.tasks import publish_due_shares
from social import keycheck, limits
from social.models import Connection, ConnectionEvent
from tests.campaigns.factories import ContentFactory
from tests.social.factories import connect, connections_url

pytestmark = pytest.mark.django_db(transaction=True)

RIGHT, WRONG = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def keys(settings):
    settings.SOCIAL_TOKEN_KEYS = [RIGHT]
    keycheck.forget()
    yield settings
    keycheck.forget()


def _compose(org, member, connection, callbacks):
    with callbacks(execute=True):
        return services.share_compose(
            organization=org,
            membership=member,
            content=ContentFactory(organization=org, title="Our new plant"),
            text="Proud of the team",
            connections=[connection],
        )[0]


def test_wrong_key_pauses_as_configuration_then_the_right_key_resumes_everything(
    keys, web, employee_a, social_sandbox, mailoutbox, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    linkedin = connect(web.as_member(employee_a), employee_a, "linkedin", handle="emma.evans")
    assert linkedin.token_ciphertext  # encrypted with RIGHT
    assert run_checks()[1]["token_keys"]["ok"] is True

    keys.SOCIAL_TOKEN_KEYS = [WRONG]  # a deploy with the wrong key
    healthy, checks = run_checks()
    assert not healthy
    token_keys = checks["token_keys"]
    assert (token_keys["ok"], token_keys["error"], token_keys["readable"]) == (
        False,
        "configuration",
        0,
    )
    mailoutbox.clear()

    share = _compose(org, employee_a, linkedin, django_capture_on_commit_callbacks)
    share.refresh_from_db()
    linkedin.refresh_from_db()
    # Not failed, not blamed on the employee: back in line, the connection untouched.
    assert share.status == Share.Status.SCHEDULED, share.error
    assert "configuration problem on our side" in share.publication.error
    assert linkedin.status == Connection.Status.ACTIVE
    assert not ConnectionEvent.objects.filter(kind=ConnectionEvent.Kind.REAUTH_REQUIRED).exists()
    assert mailoutbox == []
    assert social_sandbox.control.posts("linkedin") == []
    assert keycheck.keys_paused()
    page = web.as_member(employee_a).get(connections_url(employee_a)).content.decode()
    assert 'data-testid="keys-paused"' in page and "Nothing to reconnect" in page

    # The dispatcher keeps it waiting while the key is wrong.
    Share.objects.filter(pk=share.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_due_shares()
    share.refresh_from_db()
    assert share.status == Share.Status.SCHEDULED

    keys.SOCIAL_TOKEN_KEYS = [RIGHT]  # fixed: nothing else is done by anyone
    limits.reset()  # a minute later: the pause the wrong key set on this account is over
    Share.objects.filter(pk=share.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_shares() == 1
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED, share.error
    assert len(social_sandbox.control.posts("linkedin")) == 1
    assert not keycheck.keys_paused()
    page = web.as_member(employee_a).get(connections_url(employee_a)).content.decode()
    assert 'data-testid="keys-paused"' not in page
    assert run_checks()[1]["token_keys"]["ok"] is True
    assert mailoutbox == []


def test_one_unreadable_token_among_readable_ones_is_that_connections_problem(
    keys, web, employee_a, member_factory, social_sandbox, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    colleague = member_factory(org)
    good = connect(web.as_member(colleague), colleague, "linkedin", handle="good.one")
    broken = connect(web.as_member(employee_a), employee_a, "linkedin", handle="broken.one")
    Connection.objects.filter(pk=broken.pk).update(
        token_ciphertext=Fernet(WRONG.encode()).encrypt(b"{}").decode()
    )
    share = _compose(org, employee_a, broken, django_capture_on_commit_callbacks)
    share.refresh_from_db()
    broken.refresh_from_db()
    assert keycheck.check_keys().ok and good.token_ciphertext
    assert share.status == Share.Status.FAILED
    assert broken.status == Connection.Status.REAUTH_REQUIRED

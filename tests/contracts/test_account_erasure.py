"""`AccountErased`: the privacy app deletes a person's account and the social app, the
real consumer, revokes their grants on the (sandbox) network and forgets the tokens and
the profile of their connections; nobody else's connection is touched."""

import pytest
import requests

from advocacy.privacy.services import account_delete
from social.crypto import decrypt_token
from social.models import Connection
from tests.analytics.engagement_support import connect_account

pytestmark = pytest.mark.django_db


def _works_at_the_network(sandbox, access_token: str) -> bool:
    response = requests.get(
        f"{sandbox.url('x')}/2/users/me",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=5,
    )
    return response.status_code == 200


def test_deleting_an_account_revokes_and_forgets_the_persons_connections(
    sandbox, org_a, employee_a, member_factory, django_capture_on_commit_callbacks
):
    mine = connect_account(sandbox, employee_a, "x", "leaving.person")
    linkedin = connect_account(sandbox, employee_a, "linkedin", "leaving.person")
    colleague = member_factory(org_a)
    theirs = connect_account(sandbox, colleague, "x", "staying.person")
    my_token = decrypt_token(mine.token_ciphertext)
    linkedin_token = decrypt_token(linkedin.token_ciphertext)
    their_token = decrypt_token(theirs.token_ciphertext)
    assert _works_at_the_network(sandbox, my_token.access_token)

    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        account_delete(user=employee_a.user, confirm_email=employee_a.user.email)

    assert not _works_at_the_network(sandbox, my_token.access_token)
    assert sandbox.app.state.tokens[linkedin_token.access_token].revoked
    for connection in Connection.objects.filter(membership=employee_a):
        assert connection.status == Connection.Status.DISCONNECTED
        assert connection.token_ciphertext == ""
        assert (connection.handle, connection.display_name, connection.profile_url) == ("", "", "")
        assert "leaving.person" not in connection.external_id
    assert Connection.objects.filter(membership=employee_a).count() == 2

    # The colleague's account is untouched and still works at the network.
    theirs.refresh_from_db()
    assert theirs.status == Connection.Status.ACTIVE
    assert theirs.handle == "staying.person"
    assert _works_at_the_network(sandbox, their_token.access_token)

    for callback in dispatched:  # the broker delivers the erasure twice: nothing breaks
        callback()
    assert Connection.objects.filter(membership=employee_a, token_ciphertext="").count() == 2

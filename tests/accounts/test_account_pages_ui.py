"""Account pages are Chorus pages, not the library's bare defaults (issue 17): sign-in,
sign-up, password reset, two-factor and e-mail sit in the shell's card with styled
fields and buttons, in English and Bahasa Indonesia."""

import re

import pytest

pytestmark = pytest.mark.django_db

SIGNED_OUT = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN = ["/accounts/2fa/", "/accounts/email/", "/accounts/password/change/"]


def _styled(page: str, path: str) -> None:
    assert 'data-testid="account-page"' in page, f"{path} is outside the account card"
    assert 'class="navbar' in page, f"{path} has no shell"
    buttons = re.findall(r"<button[^>]*>", page)
    inside = page.split('data-testid="account-page"', 1)[1]
    assert all("class=" in b for b in re.findall(r"<button[^>]*>", inside)), buttons
    assert re.search(r'<h1 class="h3', inside), f"{path}: the heading is unstyled"
    assert "<strong>Menu:</strong>" not in page


@pytest.mark.parametrize("path", SIGNED_OUT)
def test_signed_out_account_pages_are_styled(client, path):
    response = client.get(path)
    assert response.status_code == 200
    _styled(response.content.decode(), path)


@pytest.mark.parametrize("path", SIGNED_IN)
def test_signed_in_account_pages_are_styled(web, employee_a, path):
    response = web.as_member(employee_a).get(path)
    assert response.status_code == 200
    _styled(response.content.decode(), path)


def test_sign_in_reads_in_bahasa_indonesia(client):
    client.cookies["django_language"] = "id"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    _styled(page, "/accounts/login/")
    assert '<html lang="id">' in page
    assert "Sign In" not in page.split('data-testid="account-page"', 1)[1]

"""What the feed says to an employee about the guidelines (issue 17: someone with eight
shares was still asked to read them "before your first share")."""

import pytest
from django.urls import reverse

from .factories import ShareFactory, publish_guidelines

pytestmark = pytest.mark.django_db


def _feed(web, member):
    url = reverse("campaigns:feed", kwargs={"org_slug": member.organization.slug})
    return web.as_member(member).get(url).content.decode()


def test_a_seasoned_advocate_is_asked_about_the_next_share_not_the_first(web, employee_a):
    for _ in range(8):
        ShareFactory(membership=employee_a)
    publish_guidelines(employee_a.organization)
    page = _feed(web, employee_a)
    assert 'data-testid="guidelines-banner"' in page
    assert "first share" not in page
    assert "Please read our social media guidelines before your next share." in page


def test_a_newcomer_is_asked_before_the_first_share(web, employee_a):
    publish_guidelines(employee_a.organization)
    page = _feed(web, employee_a)
    assert "Before your first share, please read our social media guidelines." in page


def test_the_seasoned_advocate_reads_it_in_bahasa_indonesia(web, employee_a):
    for _ in range(8):
        ShareFactory(membership=employee_a)
    publish_guidelines(employee_a.organization)
    employee_a.user.preferred_language = "id"
    employee_a.user.save()
    page = _feed(web, employee_a)
    assert "Silakan baca pedoman media sosial kami sebelum Anda berbagi lagi." in page

"""The newsletter preview shows the whole letter (issue 17: it was blank; the letter's HTML
ended the srcdoc attribute at its first quote)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class _Frames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.srcdocs = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.srcdocs.append(dict(attrs).get("srcdoc"))


def test_the_preview_frame_holds_the_whole_letter(web, admin_a):
    org = admin_a.organization
    response = web.as_member(admin_a).get(
        reverse("recognition:newsletter", kwargs={"org_slug": org.slug})
    )
    parser = _Frames()
    parser.feed(response.content.decode())
    (letter,) = parser.srcdocs
    assert letter and "</html>" in letter and "</body>" in letter
    assert org.name in letter

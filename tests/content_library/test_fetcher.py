"""The safe fetcher refuses internal addresses at every hop and caps size and time."""

import pytest

from advocacy import outbound
from content_library.fetcher import BlockedAddress, FetchError, FetchTimeout, TooLarge, fetch
from content_library.preview import parse_preview


def test_loopback_is_refused_by_default(site):
    with pytest.raises(BlockedAddress):
        fetch(site.url("/og"))
    assert site.hits == []


def test_a_name_resolving_to_loopback_is_refused(site):
    with pytest.raises(BlockedAddress):
        fetch(f"http://localhost:{site.port}/og")
    assert site.hits == []


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.5",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_a_dns_name_resolving_to_an_internal_address_is_refused(monkeypatch, address):
    monkeypatch.setattr(outbound, "resolve", lambda host, port: [address])
    with pytest.raises(BlockedAddress):
        fetch("http://intranet.example.com/secrets")


def test_one_internal_answer_among_public_ones_is_enough_to_refuse(monkeypatch):
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["93.184.215.14", "10.0.0.7"])
    with pytest.raises(BlockedAddress):
        fetch("https://mixed.example.com/")


def test_ip_literals_are_checked_without_dns(monkeypatch):
    def no_dns(host, port):
        raise AssertionError("an IP literal needs no lookup")

    monkeypatch.setattr(outbound, "resolve", no_dns)
    for url in [
        "http://127.0.0.1/",
        "http://[::1]:8080/",
        "http://169.254.169.254/latest/meta-data/",
    ]:
        with pytest.raises(BlockedAddress):
            fetch(url)


def test_redirect_to_127_0_0_1_is_refused(allow_site, settings):
    site = allow_site
    site.redirect("/go", "http://127.0.0.1:6379/")  # loopback on a port the test did not open up
    with pytest.raises(BlockedAddress):
        fetch(site.url("/go"))
    assert site.hits == ["/go"]


def test_redirect_to_a_name_resolving_to_a_private_address_is_refused(allow_site, monkeypatch):
    site = allow_site
    real_resolve = outbound.resolve
    looked_up = []

    def resolve(host, port):
        looked_up.append(host)
        return ["10.20.30.40"] if host == "metadata.internal.example" else real_resolve(host, port)

    monkeypatch.setattr(outbound, "resolve", resolve)
    site.redirect("/go", "http://metadata.internal.example/latest/")
    with pytest.raises(BlockedAddress):
        fetch(site.url("/go"))
    assert looked_up == ["metadata.internal.example"]


def test_redirects_are_followed_and_checked_up_to_five(allow_site):
    site = allow_site
    for n in range(5):
        site.redirect(f"/hop{n}", f"/hop{n + 1}", status=301 if n % 2 else 307)
    site.redirect("/hop5", "/og")
    result = fetch(site.url("/hop1"))
    assert result.url == site.url("/og") and b"og:title" in result.body
    with pytest.raises(FetchError, match="redirects too many times"):
        fetch(site.url("/hop0"))


def test_only_http_and_https(allow_site):
    for url in [
        "file:///etc/passwd",
        "ftp://example.com/x",
        "gopher://example.com/",
        "javascript:alert(1)",
    ]:
        with pytest.raises(FetchError):
            fetch(url)
    with pytest.raises(FetchError):
        fetch(f"http://user:secret@127.0.0.1:{allow_site.port}/og")


def test_body_is_capped_while_streaming(allow_site):
    with pytest.raises(TooLarge):
        fetch(allow_site.url("/huge"), max_bytes=1024 * 1024)
    with pytest.raises(TooLarge):
        fetch(allow_site.url("/huge-declared"))


def test_a_server_that_never_answers_times_out(allow_site):
    with pytest.raises(FetchTimeout):
        fetch(allow_site.url("/stall"), timeout=0.5)


def test_a_server_that_drips_bytes_times_out_on_the_whole_fetch(allow_site):
    with pytest.raises(FetchTimeout):
        fetch(allow_site.url("/drip"), timeout=0.5)


def test_http_errors_are_reported(allow_site):
    with pytest.raises(FetchError, match="500"):
        fetch(allow_site.url("/error"))


def test_opengraph_preview_is_read_from_the_head(allow_site):
    preview = parse_preview(fetch(allow_site.url("/og")))
    assert preview.title == "Acme opens a solar plant"
    assert preview.description == "Our new plant powers 40,000 homes & more."
    assert preview.image_url == allow_site.url("/static/plant.jpg")
    assert preview.site_name == "Acme Newsroom"


def test_twitter_card_and_title_are_fallbacks(allow_site):
    preview = parse_preview(fetch(allow_site.url("/twitter")))
    assert preview.title == "Fallback title"
    assert preview.description == "From the card"
    assert preview.image_url == "https://cdn.example.com/card.png"

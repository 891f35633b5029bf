"""Link previews in a task through the safe fetcher; feeds polled into the review queue."""

import pytest

from advocacy import outbound
from advocacy.tenancy.context import org_context
from content_library import services
from content_library.models import ContentItem, FeedSource, ImportedLink
from content_library.tasks import content_preview_fetch_task, feeds_poll_due

from .factories import ContentItemFactory

pytestmark = pytest.mark.django_db


def test_adding_a_link_fetches_its_preview_in_a_task(
    org_a, admin_a, allow_site, django_capture_on_commit_callbacks
):
    url = allow_site.url("/og")
    with django_capture_on_commit_callbacks(execute=True):
        item = services.content_create(
            organization=org_a, actor=admin_a, data={"kind": "article", "url": url}
        )
        assert item.preview_status == "pending"
    item.refresh_from_db()
    assert item.preview_status == "fetched"
    assert item.title == item.preview_title == "Acme opens a solar plant"
    assert item.description == "Our new plant powers 40,000 homes & more."
    assert item.preview_image_url == allow_site.url("/static/plant.jpg")
    assert item.preview_site_name == "Acme Newsroom"


def test_a_curators_title_is_kept_and_fetched_values_stay_editable(org_a, admin_a, allow_site):
    item = ContentItemFactory(organization=org_a, title="Our own title", url=allow_site.url("/og"))
    content_preview_fetch_task.apply(
        kwargs={"organization_id": org_a.pk, "content_id": item.pk}
    ).get()
    item.refresh_from_db()
    assert item.title == "Our own title" and item.preview_title == "Acme opens a solar plant"
    services.content_update(
        organization=org_a, actor=admin_a, content=item, data={"preview_title": "Better headline"}
    )
    item.refresh_from_db()
    assert item.preview_title == "Better headline"


def test_a_link_to_a_private_address_records_a_clear_error(org_a, monkeypatch):
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["192.168.1.20"])
    item = ContentItemFactory(organization=org_a, url="https://router.example.com/admin")
    content_preview_fetch_task.apply(
        kwargs={"organization_id": org_a.pk, "content_id": item.pk}
    ).get()
    item.refresh_from_db()
    assert item.preview_status == "failed" and "private network" in item.preview_error
    assert item.preview_title == ""


def _source(org, site, path):
    return FeedSource.objects.create(organization=org, name="Blog", url=site.url(path))


def test_feed_entries_arrive_as_drafts_once(org_a, allow_site):
    source = _source(org_a, allow_site, "/rss")
    with org_context(org_a):
        assert services.feed_source_poll(organization=org_a, source_id=source.pk) == 2
        assert (
            services.feed_source_poll(organization=org_a, source_id=source.pk) == 0
        )  # deduplicated by URL
    items = ContentItem.objects.for_org(org_a).order_by("title")
    assert [(i.title, i.url, i.status, i.origin) for i in items] == [
        ("Quarterly results", "https://blog.example.com/q3", "draft", "feed"),
        ("We are hiring engineers", "https://blog.example.com/hiring", "draft", "feed"),
    ]
    assert items[1].description == "Join us"  # tags and script bodies dropped
    source.refresh_from_db()
    assert source.last_error == "" and source.imported_count == 2 and source.last_success_at


def test_the_same_link_from_another_feed_is_not_imported_twice(org_a, org_b, allow_site):
    _source(org_a, allow_site, "/rss")
    other = FeedSource.objects.create(
        organization=org_a, name="Mirror", url=allow_site.url("/rss?mirror")
    )
    services.feed_source_poll(organization=org_a, source_id=FeedSource.objects.get(name="Blog").pk)
    assert services.feed_source_poll(organization=org_a, source_id=other.pk) == 0
    # another organization imports the same links for itself
    theirs = _source(org_b, allow_site, "/rss")
    assert services.feed_source_poll(organization=org_b, source_id=theirs.pk) == 2
    assert ImportedLink.objects.filter(url="https://blog.example.com/hiring").count() == 2


def test_atom_feeds_work(org_a, allow_site):
    source = _source(org_a, allow_site, "/atom")
    assert services.feed_source_poll(organization=org_a, source_id=source.pk) == 1


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/not-a-feed", "not a valid RSS or Atom feed"),
        ("/huge-declared", "too large"),
        ("/error", "error (500)"),
    ],
)
def test_bad_feeds_record_an_error_and_save_nothing(org_a, allow_site, path, message):
    source = _source(org_a, allow_site, path)
    assert services.feed_source_poll(organization=org_a, source_id=source.pk) == 0
    source.refresh_from_db()
    assert message in source.last_error and source.last_polled_at and source.last_success_at is None
    assert not ContentItem.objects.exists() and not ImportedLink.objects.exists()


def test_a_slow_feed_times_out_and_saves_nothing(org_a, allow_site, monkeypatch):
    monkeypatch.setattr(services.feeds, "FEED_TIMEOUT_SECONDS", 0.5)
    source = _source(org_a, allow_site, "/drip")
    assert services.feed_source_poll(organization=org_a, source_id=source.pk) == 0
    source.refresh_from_db()
    # a timeout reads like any unreachable site (no port scanning through messages)
    assert "could not be reached" in source.last_error
    assert not ContentItem.objects.exists()


def test_a_feed_on_a_private_address_is_refused(org_a, monkeypatch):
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["10.0.0.8"])
    source = FeedSource.objects.create(
        organization=org_a, name="Intranet", url="https://intranet.example.com/rss"
    )
    services.feed_source_poll(organization=org_a, source_id=source.pk)
    source.refresh_from_db()
    assert "private network" in source.last_error


def test_beat_polls_every_due_feed_of_every_organization(
    org_a, org_b, allow_site, django_capture_on_commit_callbacks
):
    _source(org_a, allow_site, "/rss")
    _source(org_b, allow_site, "/atom")
    FeedSource.objects.create(
        organization=org_a, name="Paused", url=allow_site.url("/rss?paused"), is_active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_poll_due.apply().get() == 2
    assert ContentItem.objects.filter(organization=org_a).count() == 2
    assert ContentItem.objects.filter(organization=org_b).count() == 1
    assert feeds_poll_due.apply().get() == 0  # just polled

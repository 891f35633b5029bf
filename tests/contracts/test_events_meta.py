"""Every event is a contract: somebody publishes it, somebody listens, tasks take what it
carries, and an event built wrong fails where it is built."""

from __future__ import annotations

import ast
import dataclasses
import datetime
import inspect
from pathlib import Path

import pytest
from pydantic import ValidationError

from advocacy import events

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = [
    "advocacy",
    "social",
    "content_library",
    "campaigns",
    "analytics",
    "recognition",
    "surveys",
]
EVENT_NAMES = {event.__name__ for event in events.EVENTS}


def _app_sources():
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and path != ROOT / "advocacy" / "events.py":
                yield path


def _constructed_events() -> dict[str, list[str]]:
    """Event classes built in app code (`events.Name(...)`), with where."""
    found: dict[str, list[str]] = {}
    for path in _app_sources():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in EVENT_NAMES:
                found.setdefault(name, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _app_subscribers(event_type: type) -> list:
    """Handlers the apps registered at start-up (not ones a test added for itself)."""
    return [
        handler
        for handler in events.subscribers(event_type)
        if isinstance(handler, events._Forwarder)
        or not (getattr(handler, "__module__", None) or "tests").startswith("tests")
    ]


def test_every_event_is_published_somewhere_in_the_apps():
    built = _constructed_events()
    assert [name for name in sorted(EVENT_NAMES) if name not in built] == []


def test_every_event_has_a_subscriber_registered_at_start_up():
    assert [e.__name__ for e in events.EVENTS if not _app_subscribers(e)] == []


@pytest.mark.parametrize("event_type", events.EVENTS, ids=lambda e: e.__name__)
def test_each_forwarding_task_takes_exactly_what_the_event_carries(event_type):
    for handler in _app_subscribers(event_type):
        if not isinstance(handler, events._Forwarder):
            continue
        fields = {f.name for f in dataclasses.fields(event_type)} - set(handler.drop)
        assert set(handler.drop) <= {f.name for f in dataclasses.fields(event_type)}
        parameters = inspect.signature(handler.task.run).parameters
        accepted = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
        required = {n for n in accepted if parameters[n].default is inspect.Parameter.empty}
        assert fields <= accepted, f"{handler!r} does not take {fields - accepted}"
        assert required <= fields, f"{handler!r} needs {required - fields}, not in the event"


def test_an_event_with_a_missing_field_fails_where_it_is_built():
    with pytest.raises(ValidationError, match="share_id"):
        events.ShareDeleted(organization_id=1, membership_id=2)


@pytest.mark.parametrize(
    "fields",
    [
        {"organization_id": "1"},  # text where a number belongs: never coerced
        {"organization_id": True},
        {"membership_id": None},
        {"published_at": "2026-12-01T10:00:00Z"},
        {"network": 7},
    ],
)
def test_an_event_with_a_wrong_typed_field_fails_where_it_is_built(fields):
    good = {
        "organization_id": 1,
        "share_id": 2,
        "membership_id": 3,
        "network": "linkedin",
        "campaign_id": None,
        "published_at": datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC),
    }
    events.SharePublished(**good)
    with pytest.raises(ValidationError):
        events.SharePublished(**{**good, **fields})


def test_a_click_batch_adds_at_least_one_click_to_each_share_it_names():
    with pytest.raises(ValidationError, match="clicks_added"):
        events.ShareClicks(share_id=1, membership_id=2, clicks_added=0)
    with pytest.raises(ValidationError, match="shares"):
        events.ClicksCounted(organization_id=1, batch_id="b", shares=[(1, 2, 3)])


def test_events_are_frozen():
    event = events.ShareDeleted(organization_id=1, share_id=2, membership_id=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.share_id = 9


def test_an_event_survives_the_trip_through_a_task_unchanged():
    event = events.ClicksCounted(
        organization_id=1,
        batch_id="b1",
        shares=(events.ShareClicks(share_id=2, membership_id=3, clicks_added=4),),
    )
    assert events.from_payload(events.ClicksCounted, events.as_payload(event)) == event

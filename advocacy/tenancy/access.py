"""One way to say "this object belongs to the organization".

Services are handed model instances (a connection, a share, a reward, a
membership) by views, API serializers, tasks and other apps' services. Before
a service writes anything, it checks that every object it was handed belongs
to the organization it acts for:

    from advocacy.tenancy.access import ensure_in_org

    def reward_update(*, organization, reward, **fields):
        ensure_in_org(organization, reward)
        ...

    def shoutout_send(*, organization, sender, recipient, value=None):
        ensure_in_org(organization, sender, recipient, value)  # None is skipped

An object of another organization raises `NotInOrganization`, a subclass of
Django's `Http404`: an HTML view answers with the ordinary 404 page and an API
view (DRF converts `Http404`) with the ordinary 404 problem, so "not yours"
reads exactly like "not found" (Zulip's rule), never a 403 and never a hint
that the object exists. Because the check comes before the first write,
nothing changes. Celery tasks that meet it fail like any other bug: a task
enqueued for one organization with another's object is one.

`ensure_owned_by(membership, *objs)` is the same promise one level down, for what a
person may only do to their own things (retry or cancel their share, disconnect their
account): someone else's object reads as missing too, even in the same organization.

`in_org()` answers the same question without raising, for the rare caller that
must treat a foreign object like a missing one inside a larger condition
(e.g. "a recipient who is not an active member of this organization").

Rules of thumb for the callers:
- Check objects that came from outside the service; rows the service itself
  fetched through `Model.objects.for_org(organization)` need no check.
- Pass every handed object in one call; `None` is skipped, so optional
  arguments need no `if`.
- Do not catch `NotInOrganization` to turn it into a 400 or a 403: a foreign
  id must look missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

if TYPE_CHECKING:
    from .models import Organization


class NotInOrganization(Http404):
    """An object handed to a service belongs to another organization (answered as a 404).

    What was foreign is kept for logs and tracebacks (`str(error)`) but not in
    `args`, which Django's 404 page and DRF's NotFound would show to the caller."""

    def __init__(self, what: str = "") -> None:
        super().__init__()
        self.what = what

    def __str__(self) -> str:
        return self.what


def in_org(organization: Organization, *objs: Any) -> bool:
    """True when every given object (None skipped) belongs to `organization`.

    An object belongs when its `organization_id` is the organization's id; an
    `Organization` itself belongs only to itself."""
    from .models import Organization

    for obj in objs:
        if obj is None:
            continue
        owner = obj.pk if isinstance(obj, Organization) else obj.organization_id
        if owner is None or owner != organization.pk:
            return False
    return True


def ensure_in_org(organization: Organization, *objs: Any) -> None:
    """Raise `NotInOrganization` unless every given object (None skipped) belongs to `organization`."""
    if not in_org(organization, *objs):
        foreign = [type(o).__name__ for o in objs if o is not None and not in_org(organization, o)]
        raise NotInOrganization(f"{', '.join(foreign)} of another organization")


def ensure_owned_by(membership: Any, *objs: Any) -> None:
    """Raise `NotInOrganization` unless every given object (None skipped) is the
    membership's own (its `membership_id`) in the membership's organization: a
    colleague's share or account reads as missing, like another organization's."""
    foreign = [
        type(obj).__name__
        for obj in objs
        if obj is not None
        and (
            obj.membership_id != membership.pk or obj.organization_id != membership.organization_id
        )
    ]
    if foreign:
        raise NotInOrganization(f"{', '.join(foreign)} of another person")
